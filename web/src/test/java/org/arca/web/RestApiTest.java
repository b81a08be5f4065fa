package org.arca.web;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.arca.core.Eventually;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API as a client sees it, on each database. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class RestApiTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;
    static HttpTestClient bob;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind, c -> c.withMaxUploadBytes(10_000_000));
        server.user("alice");
        server.user("bob");
        server.user("root", Role.ADMIN);
        alice = server.as("alice");
        bob = server.as("bob");
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

    static String folder(HttpTestClient client, String parent, String name) {
        HttpTestClient.Response r = client.post("/api/v1/folders", "{\"parentId\":" + q(parent) + ",\"name\":" + q(name) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static String upload(HttpTestClient client, String folder, String name, byte[] bytes) {
        HttpTestClient.Response r = client.putBytes("/api/v1/folders/" + folder + "/files/" + name, bytes, "text/plain");
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return r.json().get("id").asText();
    }

    @Test
    void aResearcherBuildsATreeUploadsAndDownloads() throws Exception {
        String project = collection("Trial " + kind);
        String scans = folder(alice, project, "scans");
        byte[] report = "patient report".getBytes(StandardCharsets.UTF_8);
        String item = upload(alice, scans, "report.txt", report);

        HttpTestClient.Response download = alice.get("/api/v1/items/" + item + "/content");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(report);
        String etag = download.header("ETag");
        assertThat(etag).contains(alice.get("/api/v1/items/" + item).json().at("/files/0/sha256").asText());
        assertThat(new HttpTestClient(server.base()).basic("alice", TestRepository.PASSWORD).header("If-None-Match", etag)
                .get("/api/v1/items/" + item + "/content").status()).isEqualTo(304);

        HttpTestClient.Response part = new HttpTestClient(server.base()).basic("alice", TestRepository.PASSWORD)
                .header("Range", "bytes=8-13").get("/api/v1/items/" + item + "/content");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.text()).isEqualTo("report");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 8-13/" + report.length);
        assertThat(new HttpTestClient(server.base()).basic("alice", TestRepository.PASSWORD)
                .header("Range", "bytes=999-").get("/api/v1/items/" + item + "/content").status()).isEqualTo(416);

        JsonNode children = alice.get("/api/v1/folders/" + project + "/children").json();
        assertThat(children.at("/folders/0/name").asText()).isEqualTo("scans");
        JsonNode detail = alice.get("/api/v1/folders/" + scans).json();
        assertThat(detail.at("/ancestors/0/id").asText()).isEqualTo(project);
    }

    @Test
    void aFolderDownloadsAsAZipOfItsTree() throws Exception {
        String project = collection("Zip " + kind);
        String a = folder(alice, project, "a");
        String b = folder(alice, a, "b");
        upload(alice, a, "one.txt", "first".getBytes(StandardCharsets.UTF_8));
        upload(alice, b, "two.txt", "second".getBytes(StandardCharsets.UTF_8));

        HttpTestClient.Response zip = alice.get("/api/v1/folders/" + a + "/archive");
        assertThat(zip.status()).isEqualTo(200);
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName() + (e.isDirectory() ? "" : "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(entries).containsExactlyInAnyOrder("a/", "a/b/", "a/one.txt=first", "a/b/two.txt=second");
    }

    @Test
    void sharingShowsExactlyWhatWasShared() {
        String project = collection("Shared " + kind);
        String open = folder(alice, project, "open");
        String closed = folder(alice, project, "closed");
        String item = upload(alice, open, "data.txt", "d".getBytes(StandardCharsets.UTF_8));

        assertThat(bob.get("/api/v1/folders/" + open).status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/items/" + item + "/content").status()).isEqualTo(404);
        HttpTestClient.Response share = alice.put("/api/v1/folders/" + open + "/acl",
                "{\"entries\":[{\"principal\":\"user:bob\",\"level\":\"READ\"}]}");
        assertThat(share.status()).as(share.toString()).isEqualTo(200);

        assertThat(bob.get("/api/v1/items/" + item + "/content").text()).isEqualTo("d");
        assertThat(bob.get("/api/v1/shared").json().findValuesAsText("id")).contains(open).doesNotContain(closed);
        assertThat(bob.get("/api/v1/folders/" + closed).status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/folders/" + project).status()).isEqualTo(404);
        assertThat(bob.putBytes("/api/v1/folders/" + open + "/files/x.txt", new byte[1], null).status()).isEqualTo(403);
        assertThat(bob.get("/api/v1/folders/" + open + "/acl").status()).isEqualTo(403);

        alice.put("/api/v1/folders/" + open + "/acl", "{\"entries\":[{\"principal\":\"user:bob\",\"level\":\"WRITE\"}]}");
        assertThat(bob.putBytes("/api/v1/folders/" + open + "/files/x.txt", new byte[1], null).status()).isEqualTo(201);
    }

    @Test
    void renameMoveCopyAndDeleteThroughTheApi() {
        String project = collection("Edits " + kind);
        String a = folder(alice, project, "a");
        String b = folder(alice, project, "b");
        String inner = folder(alice, a, "inner");
        String item = upload(alice, inner, "f.txt", "f".getBytes(StandardCharsets.UTF_8));

        assertThat(alice.patch("/api/v1/folders/" + a, "{\"name\":\"renamed\"}").json().get("name").asText()).isEqualTo("renamed");
        assertThat(alice.patch("/api/v1/folders/" + inner, "{\"parentId\":" + q(b) + "}").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/folders/" + inner).json().at("/ancestors/1/name").asText()).isEqualTo("b");
        HttpTestClient.Response cycle = alice.patch("/api/v1/folders/" + b, "{\"parentId\":" + q(inner) + "}");
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.error()).isEqualTo("move_into_own_subtree");

        HttpTestClient.Response copy = alice.post("/api/v1/items/" + item + "/copy", "{\"folderId\":" + q(a) + "}");
        assertThat(copy.status()).isEqualTo(201);
        assertThat(alice.patch("/api/v1/items/" + item, "{\"name\":\"g.txt\"}").json().get("name").asText()).isEqualTo("g.txt");

        HttpTestClient.Response notEmpty = alice.delete("/api/v1/folders/" + b);
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(notEmpty.error()).isEqualTo("folder_not_empty");
        assertThat(alice.delete("/api/v1/folders/" + b + "?recursive=true").status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/items/" + item).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/folders/" + inner).status()).isEqualTo(404);
    }

    @Test
    void metadataIsTypedAndReplacedWhole() {
        String project = collection("Meta " + kind);
        HttpTestClient.Response put = alice.put("/api/v1/folders/" + project + "/metadata",
                "{\"site\":\"Lyon\",\"age\":42,\"visit\":{\"type\":\"date\",\"value\":\"2026-03-01\"}}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        JsonNode meta = alice.get("/api/v1/folders/" + project + "/metadata").json();
        assertThat(meta.at("/age/type").asText()).isEqualTo("number");
        assertThat(meta.at("/age/value").asInt()).isEqualTo(42);
        assertThat(meta.at("/visit/value").asText()).isEqualTo("2026-03-01");
        HttpTestClient.Response bad = alice.put("/api/v1/folders/" + project + "/metadata",
                "{\"visit\":{\"type\":\"date\",\"value\":\"March\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(alice.get("/api/v1/folders/" + project + "/metadata").json().has("site")).isTrue();
    }

    @Test
    void badNamesAndBadInputGetClearErrorsAndChangeNothing() {
        String project = collection("Bad input " + kind);
        for (String bad : List.of("a/b", "..", "nul\u0000x", "bell\u0007", "x".repeat(256))) {
            HttpTestClient.Response r = alice.post("/api/v1/folders",
                    "{\"parentId\":" + q(project) + ",\"name\":" + q(bad) + "}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.error()).isEqualTo("invalid_name");
        }
        folder(alice, project, "dup");
        HttpTestClient.Response dup = alice.post("/api/v1/folders", "{\"parentId\":" + q(project) + ",\"name\":\"dup\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(alice.put("/api/v1/folders/" + project + "/files/..", "x").status()).isIn(400, 404);
        assertThat(alice.post("/api/v1/folders", "{\"parentId\":").error()).isEqualTo("malformed_json");
        assertThat(alice.post("/api/v1/folders", "[1,2]").error()).isEqualTo("malformed_json");
        assertThat(alice.get("/api/v1/folders/does-not-exist").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/items/does-not-exist/content").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/nothing-here").status()).isEqualTo(404);
        assertThat(alice.post("/api/v1/collections", "{\"name\":\"" + "x".repeat(2 << 20) + "\"}").status()).isEqualTo(413);
        assertThat(alice.get("/api/v1/folders/" + project + "/children").json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void anUploadOverTheLimitOrCutOffLeavesNothing() throws Exception {
        String project = collection("Limits " + kind);
        // Arca answers 413 on seeing the announced length and closes the connection; a client still sending the
        // body may find it closed before it reads that answer (on a loaded machine it often does). Either way
        // nothing may be stored; the raw-socket client below reads the 413 itself.
        try {
            HttpTestClient.Response big = alice.putBytes("/api/v1/folders/" + project + "/files/big.bin", new byte[10_000_001], null);
            assertThat(big.status()).isEqualTo(413);
        } catch (java.io.UncheckedIOException closedWhileSending) {
            assertThat(closedWhileSending).hasRootCauseInstanceOf(IOException.class);
        }

        // A client that announces 10 GB is answered before it sends a byte of the body.
        try (Socket socket = new Socket("127.0.0.1", server.web().port())) {
            String auth = java.util.Base64.getEncoder().encodeToString(("alice:" + TestRepository.PASSWORD).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("PUT /api/v1/folders/" + project + "/files/huge.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + auth + "\r\nContent-Length: 10737418240\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }

        // A client that announces 1 MB, sends 1 KB and hangs up.
        try (Socket socket = new Socket("127.0.0.1", server.web().port())) {
            OutputStream out = socket.getOutputStream();
            String auth = java.util.Base64.getEncoder().encodeToString(("alice:" + TestRepository.PASSWORD).getBytes(StandardCharsets.UTF_8));
            out.write(("PUT /api/v1/folders/" + project + "/files/cut.bin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            Eventually.until("the server to be storing the upload", () -> tmpFiles() > 0);
        }
        Eventually.until("the cut upload's temporary file to be removed", () -> tmpFiles() == 0);
        assertThat(alice.get("/api/v1/folders/" + project + "/children").json().get("total").asInt()).isZero();
        assertThat(tmpFiles()).isZero();
    }

    private static long tmpFiles() throws Exception {
        try (var files = Files.list(server.fixture().dataDir().resolve("blobs/.tmp"))) {
            return files.count();
        }
    }

    @Test
    void multipartUploadsFromBrowsersAreStreamedIn() {
        String project = collection("Multipart " + kind);
        String boundary = "----arca" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\temp\\\\one.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.txt\"\r\n\r\nsecond\r\n--" + boundary + "--\r\n";
        HttpTestClient.Response r = alice.send("POST", "/api/v1/folders/" + project + "/files",
                body.getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=" + boundary);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().findValuesAsText("name")).contains("one.csv", "two.txt");
        String id = r.json().at("/items/0/id").asText();
        assertThat(alice.get("/api/v1/items/" + id + "/content").text()).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void tokensSessionsAndBasicAllIdentifyTheCaller() {
        HttpTestClient.Response created = alice.post("/api/v1/tokens", "{\"name\":\"script\",\"expiresInDays\":30}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(new HttpTestClient(server.base()).bearer(token).get("/api/v1/users/me").json().get("login").asText())
                .isEqualTo("alice");
        assertThat(new HttpTestClient(server.base()).basic("alice", token).get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/tokens").text()).doesNotContain(token);

        assertThat(alice.delete("/api/v1/tokens/" + created.json().get("id").asText()).status()).isEqualTo(204);
        HttpTestClient.Response revoked = new HttpTestClient(server.base()).bearer(token).get("/api/v1/users/me");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(new HttpTestClient(server.base()).bearer("arca_made_up_token_value_123456").get("/api/v1/collections").status())
                .isEqualTo(401);

        HttpTestClient.Response login = server.anonymous().post("/api/v1/auth/login",
                "{\"login\":\"bob\",\"password\":" + q(TestRepository.PASSWORD) + "}");
        assertThat(login.status()).isEqualTo(200);
        String cookie = login.header("Set-Cookie");
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax");
        HttpTestClient session = new HttpTestClient(server.base()).header("Cookie", cookie.split(";")[0]);
        assertThat(session.get("/api/v1/users/me").json().get("login").asText()).isEqualTo("bob");
        assertThat(session.header("Origin", "https://evil.example").post("/api/v1/collections", "{\"name\":\"csrf\"}").status())
                .isEqualTo(403);
        assertThat(new HttpTestClient(server.base()).header("Cookie", cookie.split(";")[0]).post("/api/v1/auth/logout", null)
                .status()).isEqualTo(204);
        assertThat(new HttpTestClient(server.base()).header("Cookie", cookie.split(";")[0]).get("/api/v1/users/me").status())
                .isEqualTo(401);
    }

    @Test
    void registrationAndApprovalByAnAdmin() {
        HttpTestClient root = server.as("root");
        String code = root.post("/api/v1/sites", "{\"name\":\"Site " + kind + "\"}").json().get("registrationCode").asText();
        HttpTestClient.Response reg = server.anonymous().post("/api/v1/register",
                "{\"login\":\"dana\",\"password\":\"dana's password\",\"email\":\"dana@example.org\",\"siteCode\":" + q(code) + "}");
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
        assertThat(reg.json().get("status").asText()).isEqualTo("PENDING");
        HttpTestClient dana = new HttpTestClient(server.base()).basic("dana", "dana's password");
        assertThat(dana.get("/api/v1/users/me").error()).isEqualTo("account_pending");
        assertThat(root.get("/api/v1/users?status=pending").json().findValuesAsText("login")).contains("dana");
        assertThat(root.post("/api/v1/users/dana/approve", null).status()).isEqualTo(200);
        assertThat(dana.get("/api/v1/users/me").status()).isEqualTo(200);
    }

    @Test
    void openApiHealthAndMetricsAnswer() {
        JsonNode api = server.anonymous().get("/api/v1/openapi.json").json();
        assertThat(api.get("openapi").asText()).startsWith("3.");
        assertThat(api.at("/paths/~1api~1v1~1folders~1{id}~1acl/put/summary").asText()).isNotBlank();
        assertThat(server.anonymous().get("/health").json().get("status").asText()).isEqualTo("up");
        assertThat(server.anonymous().get("/metrics").status()).isEqualTo(401);
        String metrics = server.as("root").get("/metrics").text();
        assertThat(metrics).contains("arca_http_requests_seconds_count").contains("arca_blobstore_bytes")
                .contains("route=\"/api/v1/openapi.json\"");
    }

}
