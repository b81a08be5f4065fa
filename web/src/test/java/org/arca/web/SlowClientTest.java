package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle a request a byte at a time lose their connection, headers and body alike. The server
 * here allows headers 1 s and bodies 1 KiB/s; the clients send a byte every 200 ms and give up after 300 bytes
 * (a minute), a bound that only turns a server that never disconnects into a failure.
 */
class SlowClientTest {
    private static final int BYTES_BEFORE_GIVING_UP = 300;

    static TestServer server;
    static Caller alice;
    static Folder folder;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2, c -> c,
                w -> w.withLimits(new HttpLimits(Duration.ofSeconds(1), 1024, Duration.ofSeconds(30))));
        alice = server.user("alice");
        server.user("root", org.arca.core.access.Role.ADMIN);
        folder = server.repo().folders().createCollection(alice, "Slow", null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void headersTrickledAByteAtATimeLoseTheConnection() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.web().port(), 60_000)) {
            connection.send("GET /health HTTP/1.1\r\nHost: arca\r\nX-Slow: ");
            assertThat(trickle(connection)).as("disconnected while trickling").isTrue();
        }
    }

    @Test
    void aBodyTrickledAByteAtATimeLosesTheConnectionAndStoresNothing() throws Exception {
        String auth = Base64.getEncoder().encodeToString(("alice:" + TestRepository.PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (RawHttpConnection connection = new RawHttpConnection(server.web().port(), 60_000)) {
            connection.send("PUT /api/v1/folders/" + folder.id() + "/files/slow.txt HTTP/1.1\r\nHost: arca\r\nAuthorization: Basic "
                    + auth + "\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n");
            assertThat(trickle(connection)).as("disconnected while trickling").isTrue();
        }
        // What the server made of it: a refused request (408), not a failure of its own (500).
        assertThat(server.as("root").get("/metrics").text()).contains("status=\"408\"").doesNotContain("status=\"500\"");
        assertThat(server.as("alice").get("/api/v1/folders/" + folder.id() + "/children").text()).doesNotContain("slow.txt");
    }

    @Test
    void aRequestAtFullSpeedIsServed() throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(server.web().port(), 60_000)) {
            connection.send("GET /health HTTP/1.1\r\nHost: arca\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    /** Sends a byte every 200 ms; true once the server has cut the connection. */
    private static boolean trickle(RawHttpConnection connection) throws InterruptedException {
        for (int i = 0; i < BYTES_BEFORE_GIVING_UP; i++) {
            try {
                connection.send(new byte[] {'x'});
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
