package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.arca.core.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resumable uploads as a tus 1.0 client (tus-js-client, Uppy) drives them. */
class TusUploadTest {
    static TestServer server;
    static HttpTestClient alice;
    static String folder;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2);
        server.user("alice");
        server.user("mallory");
        alice = server.as("alice");
        folder = alice.post("/api/v1/collections", "{\"name\":\"Resumable\"}").json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String meta(String name) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "folderId " + b64.encodeToString(folder.getBytes(StandardCharsets.UTF_8)) + ",filename "
                + b64.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + ",filetype "
                + b64.encodeToString("application/octet-stream".getBytes(StandardCharsets.UTF_8));
    }

    private static HttpTestClient tus(HttpTestClient client) {
        return client.header("Tus-Resumable", "1.0.0");
    }

    @Test
    void anInterruptedUploadResumesFromItsOffsetAndBecomesAnItem() {
        byte[] data = new byte[3_000_000];
        new Random(7).nextBytes(data);
        HttpTestClient.Response created = tus(server.as("alice")).header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", meta("scan.bin")).post("/api/v1/uploads", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String location = created.header("Location");
        String path = location.substring(location.indexOf("/api/v1/uploads/"));

        HttpTestClient.Response first = tus(server.as("alice")).header("Upload-Offset", "0")
                .send("PATCH", path, Arrays.copyOfRange(data, 0, 1_000_000), "application/offset+octet-stream");
        assertThat(first.status()).isEqualTo(204);
        assertThat(first.header("Arca-Item-Id")).isNull();

        // The client lost track: it asks how far the server got, and goes on from there.
        HttpTestClient.Response head = tus(server.as("alice")).send("HEAD", path, null, null);
        assertThat(head.header("Upload-Offset")).isEqualTo("1000000");
        assertThat(tus(server.as("mallory")).send("HEAD", path, null, null).status()).isIn(403, 404);

        HttpTestClient.Response last = tus(server.as("alice")).header("Upload-Offset", "1000000")
                .send("PATCH", path, Arrays.copyOfRange(data, 1_000_000, data.length), "application/offset+octet-stream");
        assertThat(last.status()).isEqualTo(204);
        String itemId = last.header("Arca-Item-Id");
        assertThat(itemId).isNotNull();
        assertThat(alice.get("/api/v1/items/" + itemId + "/content").body()).isEqualTo(data);
        assertThat(alice.get("/api/v1/items/" + itemId).json().get("name").asText()).isEqualTo("scan.bin");
    }

    @Test
    void creatingAnUploadNeedsWriteAccessToTheTargetFolder() {
        HttpTestClient.Response refused = tus(server.as("mallory")).header("Upload-Length", "10")
                .header("Upload-Metadata", meta("sneaky.bin")).post("/api/v1/uploads", null);
        assertThat(refused.status()).isEqualTo(404);
        HttpTestClient.Response badName = tus(server.as("alice")).header("Upload-Length", "10")
                .header("Upload-Metadata", meta("../escape")).post("/api/v1/uploads", null);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(tus(server.anonymous()).header("Upload-Length", "10").header("Upload-Metadata", meta("anon.bin"))
                .post("/api/v1/uploads", null).status()).isEqualTo(401);
    }
}
