package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.arca.sftp.OpenSshClient;
import org.arca.web.dicom.SyntheticInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTP as Arca.builder() wires it: a key registered over REST, an upload with OpenSSH, the DICOM index hearing of it. */
class SftpEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void aDicomFileUploadedWithOpenSshIsIndexedAndTheKeyCameFromTheRestApi() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("arca.properties"), "data-dir: " + dir.resolve("data")
                + "\nhttp-port: 0\nhttp-host: 127.0.0.1\nsftp-port: " + port + "\nadmin-password: admin password\n");
        try (Arca arca = Arca.builder().configure(ArcaConfig.load(config, Map.of())).start()) {
            assertThat(arca.sftp().orElseThrow().port()).isEqualTo(port);
            OpenSshClient ssh = new OpenSshClient(dir, port);
            String key = ssh.newKey("admin_key");
            HttpResponse<String> added = send(arca, "POST", "/api/v1/users/me/keys",
                    "{\"key\":\"" + key + "\",\"name\":\"laptop\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            HttpResponse<String> info = send(arca, "GET", "/api/v1/sftp", null);
            assertThat(info.body()).contains("\"port\":" + port).contains(arca.sftp().orElseThrow().hostKeyFingerprint())
                    .contains("sftp -P " + port + " admin@127.0.0.1");

            String study = "1.2.826.0.1.3680043.10.99.1";
            byte[] dicom = new SyntheticInstance(study, study + ".1", study + ".1.1", "Sftp^Patient", "SFTP1", "20260101", "MR", 1)
                    .bytes();
            Path file = Files.write(dir.resolve("image.dcm"), dicom);
            OpenSshClient.Result put = ssh.withKey("admin_key", "admin", "put " + file + " /home/image.dcm");
            assertThat(put.ok()).as(put.toString()).isTrue();

            HttpResponse<String> studies = send(arca, "GET", "/dicom-web/studies?StudyInstanceUID=" + study, null);
            assertThat(studies.statusCode()).isEqualTo(200);
            assertThat(studies.body()).contains(study).contains("Sftp^Patient");
        }
        assertThat(Files.exists(dir.resolve("data/sftp/host-key"))).isTrue();
    }

    @Test
    void portZeroTurnsSftpOff() throws Exception {
        try (Arca arca = Arca.builder().dataDir(dir).httpHost("127.0.0.1").httpPort(0).sftpPort(0).adminPassword("admin password")
                .start()) {
            assertThat(arca.sftp()).isEmpty();
            assertThat(send(arca, "GET", "/api/v1/sftp", null).body()).contains("\"enabled\":false");
        }
    }

    private static HttpResponse<String> send(Arca arca, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + arca.httpPort() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin password".getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
