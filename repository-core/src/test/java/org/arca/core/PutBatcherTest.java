package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Uploads from many threads at once through one batcher: each gets its own verdict, as if it had been stored alone
 * (its item with its bytes, its audit entry), whoever else shared its transaction; a refused one (a folder its caller
 * may not write) refuses only itself.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class PutBatcherTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void concurrentUploadsByDifferentCallersEachGetTheirOwnVerdict() throws Exception {
        Caller alice = test.user("alice-" + kind);
        Caller bob = test.user("bob-" + kind);
        Folder alices = test.repo().folders().createCollection(alice, "Alice " + kind, null);
        Folder bobs = test.repo().folders().createCollection(bob, "Bob " + kind, null);
        PutBatcher batcher = new PutBatcher(test.repo().items());

        int threads = 16;
        int perThread = 12;
        CountDownLatch go = new CountDownLatch(1);
        Map<String, ItemStore.PutResult> results = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    Caller who = thread % 2 == 0 ? alice : bob;
                    // Every fifth upload aims at the other caller's collection, which its caller may not write.
                    boolean trespass = i % 5 == 4;
                    Folder into = (who == alice) != trespass ? alices : bobs;
                    String name = "t" + thread + "-" + i + ".txt";
                    byte[] bytes = ("content of " + name).getBytes(StandardCharsets.UTF_8);
                    BlobStore.Blob blob = test.repo().blobs().write(new ByteArrayInputStream(bytes), bytes.length, 1 << 20);
                    results.put(name, batcher.put(who, new ItemStore.Put(into.id(), name, "text/plain", blob)));
                }
            }));
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(results).hasSize(threads * perThread);
        for (var entry : results.entrySet()) {
            String name = entry.getKey();
            int thread = Integer.parseInt(name.substring(1, name.indexOf('-')));
            int i = Integer.parseInt(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
            Caller who = thread % 2 == 0 ? alice : bob;
            ItemStore.PutResult result = entry.getValue();
            if (i % 5 == 4) {
                assertThat(result.item()).as(name).isNull();
                assertThat(result.refusal()).as(name).isNotNull();
                continue;
            }
            assertThat(result.refusal()).as(name).isNull();
            Item stored = test.repo().items().get(who, result.item().id());
            assertThat(stored.name()).isEqualTo(name);
            assertThat(stored.folderId()).isEqualTo(who == alice ? alices.id() : bobs.id());
            try (var in = test.repo().bytes().open(who, stored.files().get(0), StoredBytes.Audit.partOf("test"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("content of " + name);
            }
            assertThat(test.repo().audit().query(Caller.SYSTEM, who.login(), stored.id(), "item.create", 10, 0).total())
                    .as("audit entries of " + name).isEqualTo(1);
        }
        assertThat(test.repo().audit().verify().intact()).isTrue();
    }
}
