package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.arca.core.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting Arca in-process the way the launcher and embedding applications do. */
class ArcaTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesTheAdminPasswordOnceAndItWorks() throws Exception {
        String password;
        try (Arca arca = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).start()) {
            password = arca.generatedAdminPassword().orElseThrow();
            assertThat(password).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo("admin");
            HttpResponse<String> me = get(arca, "/api/v1/users/me", "admin", password);
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("\"roles\":[\"ADMIN\"]");
            assertThat(get(arca, "/health", null, null).body()).contains("\"status\":\"up\"");
        }
        try (Arca again = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).start()) {
            assertThat(again.generatedAdminPassword()).isEmpty();
            assertThat(get(again, "/api/v1/users/me", "admin", password).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theAdminExistsBeforeAnyPortOpens() throws Exception {
        int httpPort = freePort();
        int sftpPort = freePort();
        List<String> shown = new ArrayList<>();
        List<Boolean> portsOpenWhenShown = new ArrayList<>();
        try (Arca arca = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(httpPort).sftpPort(sftpPort)
                .onGeneratedAdminPassword(password -> {
                    shown.add(password);
                    portsOpenWhenShown.add(answers(httpPort) || answers(sftpPort));
                }).start()) {
            assertThat(shown).containsExactly(arca.generatedAdminPassword().orElseThrow());
            assertThat(portsOpenWhenShown).containsExactly(false);
            assertThat(answers(httpPort)).isTrue();
            assertThat(get(arca, "/api/v1/users/me", "admin", shown.get(0)).statusCode()).isEqualTo(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aConfiguredAdminPasswordIsUsedAndNotPrinted() throws Exception {
        try (Arca arca = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).adminPassword("configured secret").start()) {
            assertThat(arca.generatedAdminPassword()).isEmpty();
            assertThat(get(arca, "/api/v1/users/me", "admin", "configured secret").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void configuredOriginsMayCallDicomWebFromTheirPages() throws Exception {
        try (Arca arca = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).adminPassword("configured secret")
                .corsOrigins(java.util.List.of("https://viewer.example.org")).start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + "/dicom-web/studies"))
                    .header("Origin", "https://viewer.example.org").build();
            HttpResponse<String> allowed = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://viewer.example.org");
            HttpRequest other = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + "/dicom-web/studies"))
                    .header("Origin", "https://elsewhere.example.org").build();
            assertThat(HttpClient.newHttpClient().send(other, HttpResponse.BodyHandlers.ofString()).headers()
                    .firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void settingsComeFromTheFileAndTheEnvironmentWins() throws Exception {
        Path file = dir.resolve("arca.yaml");
        Files.writeString(file, "# comment\ndata-dir: /srv/arca\nhttp-port: 9000\nsecure-cookies: \"true\"\n");
        ArcaConfig config = ArcaConfig.load(file, Map.of("ARCA_HTTP_PORT", "9100"));
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/arca"));
        assertThat(config.intValue(ArcaConfig.Key.HTTP_PORT)).isEqualTo(9100);
        assertThat(config.get(ArcaConfig.Key.SECURE_COOKIES)).isEqualTo("true");
        assertThat(ArcaConfig.load(null, Map.of()).get(ArcaConfig.Key.DATA_DIR)).isEqualTo("./arca-data");

        Files.writeString(file, "htp-port: 1\n");
        assertThatThrownBy(() -> ArcaConfig.load(file, Map.of())).hasMessageContaining("unknown setting 'htp-port'");
        assertThatThrownBy(() -> ArcaConfig.load(null, Map.of("ARCA_HTTP_PORT", "eighty")).intValue(ArcaConfig.Key.HTTP_PORT))
                .hasMessageContaining("ARCA_HTTP_PORT");
    }

    @Test
    void configuredContentLimitsReachExtractionAndUnpacking() throws Exception {
        ArcaConfig config = ArcaConfig.load(null, Map.of("ARCA_DATA_DIR", dir.toString(), "ARCA_HTTP_HOST", "127.0.0.1",
                "ARCA_HTTP_PORT", "0", "ARCA_SFTP_PORT", "0", "ARCA_ADMIN_PASSWORD", "configured secret",
                "ARCA_EXTRACT_MAX_CHARS", "24", "ARCA_UNPACK_MAX_ENTRIES", "2"));
        try (Arca arca = Arca.builder().configure(config).start()) {
            var repo = arca.repository();
            var admin = repo.authentication().password("admin", "configured secret");
            var collection = repo.folders().createCollection(admin, "Limits", null);
            byte[] text = "alpha bravo charlie delta echo foxtrot golf hotel".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            repo.items().upload(admin, collection.id(), "words.txt", "text/plain", new java.io.ByteArrayInputStream(text),
                    text.length, false);
            long found = Eventually.until("the extracted words to be searchable", () -> {
                long total = repo.search(admin, org.arca.core.search.SearchQuery.of("alpha")).total();
                return total > 0 ? total : null;
            });
            assertThat(found).as("the first words, within 24 characters").isEqualTo(1);
            assertThat(repo.search(admin, org.arca.core.search.SearchQuery.of("hotel")).total()).as("words past the cut").isZero();

            java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
            try (var out = new java.util.zip.ZipOutputStream(zip)) {
                for (String name : java.util.List.of("a.txt", "b.txt", "c.txt")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(name));
                    out.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            var item = repo.items().upload(admin, collection.id(), "three.zip", "application/zip",
                    new java.io.ByteArrayInputStream(zip.toByteArray()), zip.size(), false);
            HttpRequest extract = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + "/api/v1/items/"
                            + item.id() + "/extract"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:configured secret".getBytes()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"targetFolderId\":\"" + collection.id() + "\"}")).build();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(extract, HttpResponse.BodyHandlers.ofString());
            // The archive is checked whole before the job starts: refused at once, nothing unpacked.
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("too_many_entries").contains("The archive has 3 entries; at most 2 are unpacked.");
        }
    }

    @Test
    void metricsAreForAdministratorsAndTheConfiguredScraperToken() throws Exception {
        String token = "prometheus-scraper-token-2026";
        ArcaConfig config = ArcaConfig.load(null, Map.of("ARCA_DATA_DIR", dir.toString(), "ARCA_HTTP_HOST", "127.0.0.1",
                "ARCA_HTTP_PORT", "0", "ARCA_SFTP_PORT", "0", "ARCA_ADMIN_PASSWORD", "configured secret", "ARCA_METRICS_TOKEN", token));
        try (Arca arca = Arca.builder().configure(config).start()) {
            assertThat(get(arca, "/metrics", null, null).statusCode()).isEqualTo(401);
            assertThat(get(arca, "/metrics", "admin", "configured secret").statusCode()).isEqualTo(200);
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + "/metrics"))
                    .header("Authorization", "Bearer " + token).build();
            assertThat(HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        ArcaConfig off = ArcaConfig.load(null, Map.of("ARCA_DATA_DIR", dir.toString(), "ARCA_HTTP_HOST", "127.0.0.1",
                "ARCA_HTTP_PORT", "0", "ARCA_SFTP_PORT", "0", "ARCA_METRICS", "off"));
        try (Arca arca = Arca.builder().configure(off).start()) {
            assertThat(get(arca, "/metrics", "admin", "configured secret").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aRestartRemovesUnfinishedUploadsAndKeepsResumableOnesForTheirWindow() throws Exception {
        Arca.Builder builder = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).adminPassword("configured secret");
        String stale;
        String fresh;
        try (Arca arca = builder.start()) {
            var admin = arca.repository().authentication().password("admin", "configured secret");
            String folder = arca.repository().folders().createCollection(admin, "Uploads", null).id();
            stale = startTusUpload(arca, folder, "stale.bin");
            fresh = startTusUpload(arca, folder, "fresh.bin");
        }
        Path crashed = Files.writeString(dir.resolve("blobs").resolve(".tmp").resolve("upload-crashed.part"), "half a PUT");
        java.nio.file.attribute.FileTime eightDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(8)));
        try (var files = Files.walk(dir.resolve("uploads"))) {
            for (Path file : files.filter(p -> p.toString().contains(stale)).toList()) {
                Files.setLastModifiedTime(file, eightDaysAgo);
            }
        }

        try (Arca arca = builder.start()) {
            assertThat(crashed).doesNotExist();
            assertThat(tusHead(arca, stale).statusCode()).isEqualTo(404);
            HttpResponse<String> resumable = tusHead(arca, fresh);
            assertThat(resumable.statusCode()).isEqualTo(204);
            assertThat(resumable.headers().firstValue("Upload-Offset")).contains("4");
        }
    }

    /** Starts a tus upload of 10 bytes, sends 4, and returns its id. */
    private static String startTusUpload(Arca arca, String folderId, String name) throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        HttpRequest create = tus(arca, "").header("Upload-Length", "10").header("Upload-Metadata", "folderId "
                + b64.encodeToString(folderId.getBytes()) + ",filename " + b64.encodeToString(name.getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> created = HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpRequest patch = tus(arca, "/" + id).header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("abcd")).build();
        assertThat(HttpClient.newHttpClient().send(patch, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        return id;
    }

    private static HttpResponse<String> tusHead(Arca arca, String id) throws Exception {
        return HttpClient.newHttpClient().send(tus(arca, "/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder tus(Arca arca, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + "/api/v1/uploads" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:configured secret".getBytes()))
                .header("Tus-Resumable", "1.0.0");
    }

    private static HttpResponse<String> get(Arca arca, String path, String login, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + path));
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes()));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
