package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.arca.core.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty refuses before any route runs answer the same JSON error as a route, with the right status,
 * and leave the client able to go on: the next request on the same connection works, or the server says
 * {@code Connection: close}, closes, and a new connection works.
 */
class ProtocolErrorTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUriTooLongIs414() throws IOException {
        expect("GET /api/v1/collections?q=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: arca\r\n\r\n", 414, "uri_too_long");
    }

    @Test
    void headersTooLargeAre431() throws IOException {
        expect("GET /api/v1/collections HTTP/1.1\r\nHost: arca\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431,
                "headers_too_large");
    }

    @Test
    void aNulInThePathIs400() throws IOException {
        expect("GET /api/v1/folders/%00 HTTP/1.1\r\nHost: arca\r\n\r\n", 400, "bad_request");
    }

    @Test
    void aNulInAStaticPathIs400() throws IOException {
        expect("GET /index%00.html HTTP/1.1\r\nHost: arca\r\n\r\n", 400, "bad_request");
    }

    @Test
    void aHeaderLineThatIsNotAHeaderIs400() throws IOException {
        expect("GET /api/v1/collections HTTP/1.1\r\nHost: arca\r\nthis is no header\r\n\r\n", 400, "bad_request");
    }

    @Test
    void aRequestLineWithoutVersionIs505() throws IOException {
        expect("HELLO THERE\r\n\r\n", 505, "http_version_not_supported");
    }

    @Test
    void anUnparseableContentLengthIs400EvenForPut() throws IOException {
        // Jetty's own page is empty for methods other than GET, POST and HEAD.
        expect("PUT /api/v1/folders/x/files/a.txt HTTP/1.1\r\nHost: arca\r\nContent-Length: ten\r\n\r\n", 400, "bad_request");
    }

    @Test
    void anAcceptJettyCannotServeStillGetsJson() throws IOException {
        expect("GET /api/v1/folders/%00 HTTP/1.1\r\nHost: arca\r\nAccept: application/dicom\r\n\r\n", 400, "bad_request");
    }

    @Test
    void aGoodRequestAfterAGoodOneKeepsTheConnection() throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(server.web().port(), 30_000)) {
            assertThat(health(connection).closesConnection()).isFalse();
            assertThat(health(connection).status()).isEqualTo(200);
        }
    }

    /** Sends a bad request, checks the JSON answer, then that the client can go on. */
    private static void expect(String request, int status, String code) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(server.web().port(), 30_000)) {
            connection.send(request);
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).as(response.toString()).isEqualTo(status);
            assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/json");
            JsonNode body = Json.MAPPER.readTree(response.body());
            assertThat(body.path("error").asText()).as(response.toString()).isEqualTo(code);
            assertThat(body.path("message").asText()).as(response.toString()).isNotBlank();
            if (response.closesConnection()) {
                assertThat(connection.closedByServer()).as("closed after Connection: close").isTrue();
            } else {
                assertThat(health(connection).status()).isEqualTo(200);
            }
        }
        try (RawHttpConnection fresh = new RawHttpConnection(server.web().port(), 30_000)) {
            assertThat(health(fresh).status()).isEqualTo(200);
        }
    }

    private static RawHttpConnection.Response health(RawHttpConnection connection) throws IOException {
        connection.send("GET /health HTTP/1.1\r\nHost: arca\r\n\r\n");
        return connection.read();
    }
}
