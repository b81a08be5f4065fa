package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.access.Caller;
import org.arca.preview.OfficeConverter;
import org.arca.preview.SampleFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Office documents over HTTP with LibreOffice: a real DOCX shown as page images, and a converter that hangs,
 * during which the server keeps answering health checks and searches.
 */
class OfficePreviewApiTest {
    @TempDir
    Path dir;

    private static Item upload(TestServer server, Caller caller, Folder folder, String name, byte[] bytes) {
        return server.repo().items().upload(caller, folder.id(), name, null, new ByteArrayInputStream(bytes), bytes.length, false);
    }

    @Test
    void aWordDocumentIsPreviewedAsPageImages() throws Exception {
        OfficeConverter office = OfficeConverter.detect(Duration.ofSeconds(120));
        assumeTrue(office.available(), "LibreOffice (soffice) is not installed here: the office-to-PDF path is not tested");
        try (TestServer server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withOffice(office))) {
            Caller alice = server.user("alice");
            HttpTestClient http = server.as("alice");
            Folder trial = server.repo().folders().createCollection(alice, "Trial", null);
            Item docx = upload(server, alice, trial, "protocol.docx", SampleFiles.docxPages(2));
            HttpTestClient.Response described = http.get("/api/v1/items/" + docx.id() + "/preview");
            assertThat(described.status()).as(described.toString()).isEqualTo(200);
            assertThat(described.json().get("kind").asText()).isEqualTo("pages");
            assertThat(described.json().get("pages").asInt()).isEqualTo(2);
            HttpTestClient.Response page = http.get("/api/v1/items/" + docx.id() + "/preview?page=2");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("image/png");
            assertThat(ImageIO.read(new ByteArrayInputStream(page.body())).getHeight()).isGreaterThan(800);
            assertThat(server.as("alice").get("/api/v1/items/" + docx.id() + "/preview?page=3").status()).isEqualTo(404);
        }
    }

    @Test
    void aHangingConverterGivesNoPreviewWhileTheServerKeepsAnswering() throws Exception {
        Path started = dir.resolve("started");
        Path fake = dir.resolve("soffice");
        Files.writeString(fake, "#!/bin/sh\ntouch " + started + "\nsleep 300 &\nwait\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        OfficeConverter hanging = new OfficeConverter(fake, Duration.ofSeconds(8));
        try (TestServer server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withOffice(hanging))) {
            Caller alice = server.user("alice");
            HttpTestClient http = server.as("alice");
            Folder trial = server.repo().folders().createCollection(alice, "Trial", null);
            Item docx = upload(server, alice, trial, "slow.docx", SampleFiles.docx("never converted"));
            server.repo().searchIndex().awaitQueued();

            CompletableFuture<HttpTestClient.Response> preview = CompletableFuture.supplyAsync(
                    () -> http.get("/api/v1/items/" + docx.id() + "/preview"));
            Eventually.until("the converter to run", () -> Files.exists(started));
            // While the converter hangs: health and a search answer, and the preview is still being made.
            assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
            JsonNode found = http.get("/api/v1/search?q=slow").json();
            assertThat(found.get("total").asInt()).isEqualTo(1);
            assertThat(preview).as("answered before the converter's time was up").isNotDone();

            HttpTestClient.Response answer = preview.get();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("kind").asText()).isEqualTo("none");
            assertThat(answer.json().get("reason").asText()).contains("LibreOffice took longer than 8 s");
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(fake.toString())))
                    .as("the converter is gone").isEmpty();
        }
    }
}
