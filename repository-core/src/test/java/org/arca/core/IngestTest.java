package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest seam: every write entry point of the item store (upload, put, adopt, create, createAll, putAll and the
 * batcher) passes the same steps, in order, before a row names the bytes; a refusal stores nothing and carries its
 * reasons; a rewrite stores the step's bytes and says so in the audit trail; what a step learnt reaches the listeners.
 * The steps here act on names only, so the repository's other uploads pass them untouched.
 */
class IngestTest {

    /** What the first step learns and the second step and the listener read. */
    record Learnt(String note) {
    }

    static TestRepository test;
    static Caller owner;
    static Folder folder;
    static final List<String> secondStepSaw = new CopyOnWriteArrayList<>();
    static final List<ItemListener.ItemEvent> heard = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void open() {
        test = new TestRepository(TestDatabases.Kind.H2);
        owner = test.user("ingest-owner");
        folder = test.repo().folders().createCollection(owner, "Ingest", null);
        Ingest ingest = test.repo().ingest();
        ingest.addStep("refuse-bad", arrival -> arrival.name().endsWith(".bad")
                ? IngestStep.refuse("The file breaks a rule.", List.of("(0010,0010) must be empty", "name ends in .bad"))
                : IngestStep.accept(Facts.none().with(Learnt.class, new Learnt("seen " + arrival.name()))));
        ingest.addStep("upper-case", arrival -> {
            secondStepSaw.add(arrival.facts().get(Learnt.class).map(Learnt::note).orElse("nothing"));
            if (!arrival.name().endsWith(".shout")) {
                return IngestStep.accept();
            }
            try (InputStream in = arrival.open()) {
                byte[] upper = new String(in.readAllBytes(), StandardCharsets.UTF_8).toUpperCase()
                        .getBytes(StandardCharsets.UTF_8);
                BlobStore.Blob rewritten = test.repo().blobs().write(new ByteArrayInputStream(upper), upper.length, 1 << 20);
                return new IngestStep.Rewrite(rewritten, "text/plain", Facts.none());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        test.repo().items().addListener(heard::add);
    }

    @AfterAll
    static void close() {
        test.close();
    }

    @Test
    void stepsRunInTheOrderTheyWereAdded() {
        assertThat(test.repo().ingest().stepNames()).containsExactly("refuse-bad", "upper-case");
        test.upload(owner, folder.id(), "order.txt", "x");
        assertThat(secondStepSaw).contains("seen order.txt");
    }

    @Test
    void aRefusedUploadStoresNothingFromAnyEntryPoint() throws IOException {
        ItemStore items = test.repo().items();
        assertRefused(() -> items.upload(owner, folder.id(), "a.bad", "text/plain", bytes("a"), 1, false));
        assertRefused(() -> items.put(owner, folder.id(), "b.bad", "text/plain", bytes("b"), 1));
        assertRefused(() -> items.create(owner, folder.id(), "c.bad", "text/plain", blob("c"), false));
        Path assembled = Files.createTempFile(test.dataDir(), "assembled", ".part");
        Files.writeString(assembled, "d");
        assertRefused(() -> items.adopt(owner, folder.id(), "d.bad", "text/plain", assembled, false));
        // All or none: one refused item refuses its whole batch.
        assertRefused(() -> items.createAll(owner, folder.id(), List.of(
                new ItemStore.NewItem("fine-in-batch.txt", "text/plain", blob("e")),
                new ItemStore.NewItem("e.bad", "text/plain", blob("e2")))));

        assertThat(names()).noneMatch(n -> n.endsWith(".bad")).doesNotContain("fine-in-batch.txt");
        assertThat(test.repo().audit().query(Caller.SYSTEM, "ingest-owner", null, "item.create", 1000, 0).entries())
                .noneMatch(e -> e.detail().contains(".bad") || e.detail().contains("fine-in-batch"));
    }

    @Test
    void aBatchOfPutsRefusesOnlyTheRefusedOnes() {
        List<ItemStore.PutResult> results = test.repo().items().putAll(owner, List.of(
                new ItemStore.Put(folder.id(), "kept-1.txt", "text/plain", blob("1")),
                new ItemStore.Put(folder.id(), "f.bad", "text/plain", blob("2")),
                new ItemStore.Put(folder.id(), "kept-2.txt", "text/plain", blob("3"))));
        assertThat(results.get(0).item().name()).isEqualTo("kept-1.txt");
        assertThat(results.get(1).refusal().kind()).isEqualTo(ArcaException.Kind.REFUSED);
        assertThat(results.get(1).refusal().reasons()).containsExactly("(0010,0010) must be empty", "name ends in .bad");
        assertThat(results.get(2).item().name()).isEqualTo("kept-2.txt");

        ItemStore.PutResult batched = new PutBatcher(test.repo().items())
                .put(owner, new ItemStore.Put(folder.id(), "g.bad", "text/plain", blob("4")));
        assertThat(batched.refusal().kind()).isEqualTo(ArcaException.Kind.REFUSED);
        assertThat(names()).contains("kept-1.txt", "kept-2.txt").doesNotContain("f.bad", "g.bad");
    }

    @Test
    void aRewriteStoresTheStepsBytesAndTheAuditSaysSo() throws IOException {
        Item item = test.repo().items().upload(owner, folder.id(), "quiet.shout", "text/plain", bytes("hello"), 5, false);
        assertThat(Files.readString(test.repo().items().content(owner, item.id(), null).path())).isEqualTo("HELLO");
        assertThat(item.primaryFile().size()).isEqualTo(5);
        var entries = test.repo().audit().query(Caller.SYSTEM, "ingest-owner", item.id(), "item.create", 10, 0).entries();
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.detail()).endsWith("rewritten-by=upper-case"));
    }

    @Test
    void listenersHearWhatTheStepsLearnt() {
        Item item = test.upload(owner, folder.id(), "learnt.txt", "x");
        assertThat(heard).filteredOn(e -> e.item().id().equals(item.id())).singleElement()
                .satisfies(e -> assertThat(e.facts().get(Learnt.class)).contains(new Learnt("seen learnt.txt")));
    }

    private static void assertRefused(Runnable upload) {
        assertThatThrownBy(upload::run).isInstanceOfSatisfying(ArcaException.class, e -> {
            assertThat(e.kind()).isEqualTo(ArcaException.Kind.REFUSED);
            assertThat(e.reasons()).containsExactly("(0010,0010) must be empty", "name ends in .bad");
        });
    }

    private static List<String> names() {
        return test.repo().folders().children(owner, folder.id(), 1000, 0).items().stream().map(Item::name).toList();
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static BlobStore.Blob blob(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return test.repo().blobs().write(new ByteArrayInputStream(b), b.length, 1 << 20);
    }
}
