package org.arca.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.arca.core.Eventually;
import org.arca.core.FileKind;
import org.arca.core.StoredFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Office documents previewed as PDF pages through a real LibreOffice, and what happens when it hangs. */
class OfficePreviewTest {
    @TempDir
    Path dir;

    /** As the server runs it: blobs, cache and work folder inside a folder LibreOffice cannot see. */
    private Previews previews(OfficeConverter office) {
        return previews(office, org.arca.core.Sandbox.hiding(java.util.List.of(dir)));
    }

    private Previews previews(OfficeConverter office, org.arca.core.Sandbox sandbox) {
        return new Previews(dir.resolve("cache"), dir.resolve("work"), PreviewLimits.defaults(), office, sandbox);
    }

    private StoredFile stored(String name, byte[] bytes) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.write(dir.resolve(sha), bytes);
        return new StoredFile("f1", "i1", name, bytes.length, null, sha, Instant.now());
    }

    private static String json(Previews.Result result) {
        return switch (result) {
            case Previews.Result.Json j -> new String(j.body(), StandardCharsets.UTF_8);
            case Previews.Result.None n -> new String(n.body(), StandardCharsets.UTF_8);
            case Previews.Result.Png p -> "png " + p.file();
        };
    }

    @Test
    void aWordDocumentBecomesPdfPageImagesThroughLibreOffice() throws Exception {
        OfficeConverter office = OfficeConverter.detect(Duration.ofSeconds(120));
        assumeTrue(office.available(), "LibreOffice (soffice) is not installed here: the office-to-PDF path is not tested");
        Previews previews = previews(office);
        StoredFile docx = stored("protocol.docx", SampleFiles.docxPages(3));
        Path blob = dir.resolve(docx.sha256());

        assertThat(json(previews.describe(docx, FileKind.DOCUMENT, blob))).isEqualTo("{\"kind\":\"pages\",\"pages\":3}");
        Previews.Result page = previews.page(docx, FileKind.DOCUMENT, blob, 2);
        assertThat(page).isInstanceOf(Previews.Result.Png.class);
        BufferedImage image = ImageIO.read(((Previews.Result.Png) page).file().toFile());
        assertThat(image.getWidth()).isBetween(600, PdfPages.MAX_WIDTH);
        assertThat(image.getHeight()).isGreaterThan(image.getWidth()); // an A4 or Letter page, upright
        assertThat(dark(image)).isGreaterThan(500); // words were drawn, not a blank page
        assertThat(json(previews.page(docx, FileKind.DOCUMENT, blob, 4))).contains("\"kind\":\"none\"").contains("no page 4");
        // Converted once per blob: the PDF waits in the cache beside the pages, and the job folders are gone.
        try (var cached = Files.list(dir.resolve("cache").resolve(docx.sha256()))) {
            assertThat(cached.map(p -> p.getFileName().toString())).contains("office.pdf", "preview.json", "page-2.png");
        }
        try (var work = Files.list(dir.resolve("work"))) {
            assertThat(work).isEmpty();
        }
    }

    @Test
    void aBrokenDocumentGetsAClearNoPreviewFromLibreOffice() throws Exception {
        OfficeConverter office = OfficeConverter.detect(Duration.ofSeconds(120));
        assumeTrue(office.available(), "LibreOffice (soffice) is not installed here: the office-to-PDF path is not tested");
        StoredFile broken = stored("broken.docx", SampleFiles.corruptDocx());
        String answer = json(previews(office).describe(broken, FileKind.DOCUMENT, dir.resolve(broken.sha256())));
        assertThat(answer).contains("\"kind\":\"none\"");
    }

    @Test
    void aHangingLibreOfficeIsKilledWholeAndTheDocumentHasNoPreview() throws Exception {
        // A stand-in soffice that never answers and starts a child, as oosplash starts soffice.bin. It lives outside
        // the hidden folder, and says it started in a file there (a pid would be one of its own namespace's).
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path pids = tools.resolve("pids");
        Path fake = tools.resolve("soffice");
        String marker = "297.25";
        Files.writeString(fake, "#!/bin/sh\nsleep " + marker + " &\necho started >> " + pids + "\nwait\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Previews previews = previews(new OfficeConverter(fake, Duration.ofSeconds(2)),
                org.arca.core.Sandbox.hiding(java.util.List.of(dir.resolve("cache"), dir.resolve("work"))));
        StoredFile docx = stored("slow.docx", SampleFiles.docx("never converted"));

        long started = System.nanoTime();
        String answer = json(previews.describe(docx, FileKind.DOCUMENT, dir.resolve(docx.sha256())));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(answer).contains("\"kind\":\"none\"").contains("LibreOffice took longer than 2 s");
        assertThat(pids).hasContent("started");
        // A killed process leaves the process table once its parent has reaped it, a moment after the kill.
        Eventually.until("the converter's child to be gone", () -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep " + marker)));
        // Remembered per blob: asking again does not start another converter.
        Files.delete(pids);
        assertThat(json(previews.page(docx, FileKind.DOCUMENT, dir.resolve(docx.sha256()), 1))).contains("longer than");
        assertThat(pids).doesNotExist();
    }

    private static int dark(BufferedImage image) {
        int dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xff) < 100) {
                    dark++;
                }
            }
        }
        return dark;
    }

    static byte[] bytes(String text) throws IOException {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
