package org.arca.web;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.arca.core.Race;
import org.arca.core.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Parallel requests against the tree's rules over HTTP: what concurrent clients get back, on each database. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class ConcurrentTreeApiTest {

    private static final int ROUNDS = 10;

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static String collection(String name) {
        HttpTestClient.Response r = alice.post("/api/v1/collections", "{\"name\":" + q(name) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static String folder(String parent, String name) {
        HttpTestClient.Response r = alice.post("/api/v1/folders", "{\"parentId\":" + q(parent) + ",\"name\":" + q(name) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    @Test
    void foldersMovedIntoEachOtherAtOnceStayInTheTreeAndArchive() throws Exception {
        String collection = collection("Moves " + kind);
        List<String> names = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String p = folder(collection, "p" + round);
            String q = folder(collection, "q" + round);
            List<Race.Outcome<HttpTestClient.Response>> outcomes = Race.run(
                    () -> alice.patch("/api/v1/folders/" + p, "{\"parentId\":" + q(q) + "}"),
                    () -> alice.patch("/api/v1/folders/" + q, "{\"parentId\":" + q(p) + "}"));
            List<Integer> statuses = outcomes.stream().map(o -> o.value().status()).sorted().toList();
            assertThat(statuses).as("round %d: %s", round, outcomes).containsExactly(200, 400);
            assertThat(outcomes).extracting(o -> o.value()).filteredOn(r -> r.status() == 400)
                    .allSatisfy(r -> assertThat(r.error()).isEqualTo("move_into_own_subtree"));
            names.add("p" + round);
            names.add("q" + round);
        }
        HttpTestClient.Response archive = alice.get("/api/v1/folders/" + collection + "/archive");
        assertThat(archive.status()).isEqualTo(200);
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive.body()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.add(entry.getName());
            }
        }
        assertThat(entries).hasSize(1 + 2 * ROUNDS);
        for (String name : names) {
            assertThat(entries).anyMatch(e -> e.endsWith("/" + name + "/"));
        }
    }

    @Test
    void aFolderAndAFileOfOneNameAtOnceGiveOne201AndOne409() throws Exception {
        String collection = collection("Twins " + kind);
        for (int round = 0; round < ROUNDS; round++) {
            String name = "twin" + round;
            List<Race.Outcome<HttpTestClient.Response>> outcomes = Race.run(
                    () -> alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":" + q(name) + "}"),
                    () -> alice.putBytes("/api/v1/folders/" + collection + "/files/" + name,
                            "content".getBytes(StandardCharsets.UTF_8), "text/plain"));
            assertThat(outcomes.stream().map(o -> o.value().status()).sorted().toList()).as("round %d", round)
                    .containsExactly(201, 409);
        }
    }

    @Test
    void parallelPutsOfOneNewNameGiveOne201AndThenReplace() throws Exception {
        String collection = collection("Puts " + kind);
        for (int round = 0; round < ROUNDS; round++) {
            String path = "/api/v1/folders/" + collection + "/files/same" + round + ".txt";
            List<Callable<HttpTestClient.Response>> puts = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                byte[] bytes = ("writer " + writer).getBytes(StandardCharsets.UTF_8);
                puts.add(() -> alice.putBytes(path, bytes, "text/plain"));
            }
            List<Integer> statuses = Race.run(puts).stream().map(o -> o.value().status()).sorted().toList();
            assertThat(statuses).as("round %d", round).containsExactly(200, 200, 200, 201);
        }
    }
}
