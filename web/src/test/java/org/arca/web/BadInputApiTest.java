package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.access.Caller;
import org.arca.preview.ExtractionLimits;
import org.arca.preview.OfficeConverter;
import org.arca.preview.PreviewWorker;
import org.arca.preview.SampleFiles;
import org.arca.preview.TextExtractor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and misleading files over HTTP, with text extraction wired as Arca wires it: each gets a clear
 * preview or a clear "none", and the server answers health checks and searches while they are worked on.
 */
class BadInputApiTest {
    private static final long STREAMING = 32L << 20;
    static TestServer server;
    static TextExtractor extractor;
    static Caller alice;
    static HttpTestClient http;
    static Folder trial;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withOffice(OfficeConverter.none()));
        var repo = server.repo();
        extractor = server.text();
        alice = server.user("alice");
        http = server.as("alice");
        trial = repo.folders().createCollection(alice, "Trial Gamma", null);
        upload("baseline.txt", "text/plain", "A baseline document about kidneys".getBytes(StandardCharsets.UTF_8));
        extractor.awaitQueued();
        repo.searchIndex().awaitQueued();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Item upload(String name, String type, byte[] bytes) {
        return server.repo().items().upload(alice, trial.id(), name, type, new ByteArrayInputStream(bytes), bytes.length, false);
    }

    static JsonNode preview(Item item) {
        HttpTestClient.Response response = http.get("/api/v1/items/" + item.id() + "/preview");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static HttpTestClient.Response page(Item item, int page) {
        return http.get("/api/v1/items/" + item.id() + "/preview?page=" + page);
    }

    static JsonNode extraction(Item item) {
        return http.get("/api/v1/items/" + item.id() + "/extraction").json().get("files").get(0);
    }

    /** The server answers a health check and a search now. */
    static void answering() {
        assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
        HttpTestClient.Response search = http.get("/api/v1/search?q=kidneys");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.json().get("total").asInt()).isEqualTo(1);
    }

    /**
     * Lines of a log, over and over, up to {@code size} bytes: a gigabyte without a gigabyte of memory. Counts what
     * it has given in {@code sent}.
     */
    static java.io.InputStream endlessLog(long size, AtomicLong sent) {
        byte[] chunk = "Line of a very long instrument log, written every millisecond\n".repeat(1024)
                .getBytes(StandardCharsets.UTF_8);
        return new java.io.InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long given = sent.get();
                if (given == size) {
                    return -1;
                }
                int at = (int) (given % chunk.length);
                int n = (int) Math.min(Math.min(len, chunk.length - at), size - given);
                System.arraycopy(chunk, at, b, off, n);
                sent.addAndGet(n);
                return n;
            }
        };
    }

    @Test
    void aGigabyteTextFileUploadedThroughTheApiIsSkippedByExtractionAndPreviewedByItsBeginning() throws Exception {
        long size = 1L << 30;
        AtomicLong sent = new AtomicLong();
        CompletableFuture<HttpTestClient.Response> upload = CompletableFuture.supplyAsync(() -> http.putStream(
                "/api/v1/folders/" + trial.id() + "/files/instrument.log", size, () -> endlessLog(size, sent), "text/plain"));
        // More than any socket buffer holds: the server is reading the body.
        Eventually.until("the upload to be streaming", () -> sent.get() > STREAMING || upload.isDone());
        boolean attackRunning = !upload.isDone();
        answering();
        assertThat(attackRunning).as("the checks ran while the gigabyte was streaming in").isTrue();

        HttpTestClient.Response stored = upload.get();
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        Item item = server.repo().items().get(alice, stored.json().get("id").asText());
        assertThat(item.primaryFile().size()).isEqualTo(size);
        extractor.awaitQueued();
        JsonNode state = extraction(item);
        assertThat(state.get("state").asText()).isEqualTo("skipped");
        assertThat(state.get("reason").asText()).isEqualTo("too large (over 256 MB)");
        JsonNode preview = preview(item);
        assertThat(preview.get("kind").asText()).isEqualTo("text");
        assertThat(preview.get("truncated").asBoolean()).isTrue();
        assertThat(preview.get("text").asText()).startsWith("Line of a very long instrument log").hasSizeLessThan(300_000);
        answering();
        assertThat(http.delete("/api/v1/items/" + item.id()).status()).isEqualTo(204);
    }

    @Test
    void aFiveThousandPagePdfIsBoundedWorkAndTheServerAnswersMeanwhile() throws Exception {
        String[] pages = IntStream.rangeClosed(1, 5000).mapToObj(i -> "Page " + i + " of the endless appendix, kept for the record")
                .toArray(String[]::new);
        Item pdf = upload("appendix.pdf", "application/pdf", SampleFiles.pdf(null, pages));
        // Extraction has started in its worker; render a late page in another worker meanwhile.
        CompletableFuture<HttpTestClient.Response> late = CompletableFuture.supplyAsync(() -> page(pdf, 4999));
        Eventually.until("the page to be rendering", () -> late.isDone() || ProcessHandle.current().descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(PreviewWorker.class.getName())));
        boolean attackRunning = !late.isDone() || extraction(pdf).get("state").asText().equals("pending");
        answering();
        assertThat(attackRunning).as("the checks ran while the PDF was being worked on").isTrue();

        HttpTestClient.Response rendered = late.get();
        assertThat(rendered.status()).as(rendered.toString()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(rendered.body())).getWidth()).isPositive();
        assertThat(preview(pdf).get("pages").asInt()).isEqualTo(5000);
        extractor.awaitQueued();
        JsonNode state = extraction(pdf);
        assertThat(state.get("state").asText()).as(state.toString()).isEqualTo("done");
        // Cut at the limit, not all 280,000 characters of the 5,000 pages.
        assertThat(state.get("characters").asInt()).isBetween(90_000, ExtractionLimits.defaults().maxChars());
        server.repo().searchIndex().awaitQueued();
        assertThat(http.get("/api/v1/search?q=endless").json().get("total").asInt()).isEqualTo(1);
        answering();
    }

    @Test
    void aPolyglotIsPreviewedByWhatItsBytesAreAndNeverAsMarkup() throws Exception {
        // A PDF with a ZIP appended: PDF readers read it from the front, ZIP readers from the back.
        byte[] pdf = SampleFiles.pdf(null, "The front of a polyglot");
        byte[] zip = SampleFiles.zip("inner.txt", "the back of a polyglot");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(pdf);
        both.write(zip);
        Item polyglot = upload("bundle.zip", "application/zip", both.toByteArray());
        JsonNode shown = preview(polyglot);
        assertThat(shown.get("kind").asText()).isEqualTo("pages");
        assertThat(page(polyglot, 1).header("Content-Type")).startsWith("image/png");

        // A GIF whose bytes are also a script: as an image it is unreadable, as HTML it is text, never markup.
        byte[] gifScript = "GIF89a/*  */=1;<script>alert(document.cookie)</script>".getBytes(StandardCharsets.ISO_8859_1);
        Item asGif = upload("pixel.gif", "image/gif", gifScript);
        HttpTestClient.Response gifPage = page(asGif, 1);
        assertThat(gifPage.status()).isEqualTo(404);
        assertThat(gifPage.json().get("kind").asText()).isEqualTo("none");
        Item asHtml = upload("pixel.html", "text/html", gifScript);
        JsonNode text = preview(asHtml);
        assertThat(text.get("kind").asText()).isEqualTo("text"); // characters in JSON, for the portal to show as text
        assertThat(text.get("text").asText()).contains("<script>");
        extractor.awaitQueued();
        assertThat(extraction(polyglot).get("state").asText()).isIn("done", "failed");
        answering();
    }

    @Test
    void aFileWhoseExtensionLiesIsPreviewedByItsBytesOrNotAtAll() throws IOException {
        Item pdfAsJpeg = upload("photo.jpg", "image/jpeg", SampleFiles.pdf(null, "A PDF in disguise"));
        assertThat(preview(pdfAsJpeg).get("kind").asText()).isEqualTo("pages");
        assertThat(page(pdfAsJpeg, 1).status()).isEqualTo(200);

        Item docxAsCsv = upload("data.csv", "text/csv", SampleFiles.docx("Words of a Word file called data.csv"));
        // Not parsed as delimited text: the workbook reader sees a ZIP, and a Word file shows as its text.
        JsonNode shown = preview(docxAsCsv);
        assertThat(shown.get("kind").asText()).isEqualTo("html");
        assertThat(shown.get("html").asText()).contains("Words of a Word file called data.csv");

        byte[] elf = new byte[4096];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        Item elfAsPng = upload("scan.png", "image/png", elf);
        HttpTestClient.Response elfPage = page(elfAsPng, 1);
        assertThat(elfPage.status()).isEqualTo(404);
        assertThat(elfPage.json().get("reason").asText()).isNotBlank();

        // Extraction goes by the bytes too: the Word file called .csv is read as Word.
        extractor.awaitQueued();
        JsonNode state = extraction(docxAsCsv);
        assertThat(state.get("state").asText()).isEqualTo("done");
        assertThat(state.get("detectedType").asText()).contains("wordprocessingml");
        server.repo().searchIndex().awaitQueued();
        assertThat(http.get("/api/v1/search?q=disguise").json().get("total").asInt()).isEqualTo(1);
        answering();
    }
}
