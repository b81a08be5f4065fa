package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.MetadataValue;
import org.arca.core.TestDatabases;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.preview.SampleFiles;
import org.arca.preview.TextExtractor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Search and previews over HTTP as the portal uses them, with text extraction wired as Arca wires it. */
class SearchPreviewApiTest {
    static TestServer server;
    static TextExtractor extractor;
    static Caller alice;
    static HttpTestClient aliceHttp;
    static HttpTestClient bobHttp;
    static Folder trial;
    static Folder shared;

    @BeforeAll
    static void start() throws IOException {
        // Office documents as sanitised HTML here; OfficePreviewApiTest covers LibreOffice.
        server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withOffice(org.arca.preview.OfficeConverter.none()));
        var repo = server.repo();
        extractor = server.text();
        alice = server.user("alice");
        server.user("bob");
        aliceHttp = server.as("alice");
        bobHttp = server.as("bob");
        trial = repo.folders().createCollection(alice, "Trial Beta", null);
        shared = repo.folders().create(alice, trial.id(), "Shared", null);
        repo.access().setAcl(alice, shared.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        Item report = upload(trial, "report.pdf", "application/pdf", SampleFiles.pdf(null, "Hepatic lesion measured", "Page two"));
        repo.metadata().put(alice, MetadataStore.Target.ITEM, report.id(), Map.of("visit", new MetadataValue.Number(2)));
        upload(shared, "summary.docx", null, SampleFiles.docx("Hepatic summary for partners"));
        extractor.awaitQueued();
        repo.searchIndex().awaitQueued();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Item upload(Folder folder, String name, String type, byte[] bytes) {
        return server.repo().items().upload(alice, folder.id(), name, type, new ByteArrayInputStream(bytes), bytes.length, false);
    }

    static JsonNode preview(Item item) {
        HttpTestClient.Response response = aliceHttp.get("/api/v1/items/" + item.id() + "/preview");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("hits").forEach(h -> names.add(h.get("name").asText()));
        return names;
    }

    @Test
    void searchAnswersWithReadableHitsPathsSnippetsAndFacets() {
        JsonNode mine = aliceHttp.get("/api/v1/search?q=hepatic").json();
        assertThat(mine.get("total").asInt()).isEqualTo(2);
        assertThat(names(mine)).containsExactlyInAnyOrder("report.pdf", "summary.docx");
        JsonNode bobs = bobHttp.get("/api/v1/search?q=hepatic").json();
        assertThat(names(bobs)).containsExactly("summary.docx");
        JsonNode hit = bobs.get("hits").get(0);
        assertThat(hit.get("path").asText()).isEqualTo("Shared");
        assertThat(hit.get("snippet").asText()).contains("<mark>Hepatic</mark>");
        assertThat(bobs.get("facets").get("type").get(0).get("value").asText()).isEqualTo("document");
        assertThat(server.anonymous().get("/api/v1/search?q=hepatic").json().get("total").asInt()).isZero();
        assertThat(names(aliceHttp.get("/api/v1/search?q=hepatic&type=pdf").json())).containsExactly("report.pdf");
        assertThat(names(aliceHttp.get("/api/v1/search?meta.visit=1..3").json())).containsExactly("report.pdf");
        assertThat(names(aliceHttp.get("/api/v1/search?q=" + url("\"lesion measured\"")).json()))
                .containsExactly("report.pdf");
        HttpTestClient.Response bad = aliceHttp.get("/api/v1/search?q=" + url("name:(open"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("invalid_query");
        assertThat(aliceHttp.get("/api/v1/search?limit=0").status()).isEqualTo(400);
    }

    @Test
    void extractionStateIsVisiblePerFile() {
        String id = server.repo().search(alice, org.arca.core.search.SearchQuery.of("name:report")).hits().get(0).id();
        JsonNode state = aliceHttp.get("/api/v1/items/" + id + "/extraction").json().get("files").get(0);
        assertThat(state.get("state").asText()).isEqualTo("done");
        assertThat(state.get("detectedType").asText()).isEqualTo("application/pdf");
        assertThat(bobHttp.get("/api/v1/items/" + id + "/extraction").status()).isEqualTo(404);
    }

    @Test
    void pdfPagesAreImagesWithText() throws IOException {
        Item pdf = upload(trial, "two-pages.pdf", "application/pdf", SampleFiles.pdf(null, "First page words", "Second page"));
        JsonNode described = preview(pdf);
        assertThat(described.get("kind").asText()).isEqualTo("pages");
        assertThat(described.get("pages").asInt()).isEqualTo(2);
        HttpTestClient.Response page = aliceHttp.get("/api/v1/items/" + pdf.id() + "/preview?page=2");
        assertThat(page.header("Content-Type")).startsWith("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(page.body()));
        assertThat(image.getWidth()).isGreaterThan(500);
        assertThat(darkPixels(image)).as("the page's text is drawn").isGreaterThan(50);
        // Cached: the same bytes again, and a page beyond the end is a clear 404.
        assertThat(aliceHttp.get("/api/v1/items/" + pdf.id() + "/preview?page=2").body()).isEqualTo(page.body());
        HttpTestClient.Response missing = aliceHttp.get("/api/v1/items/" + pdf.id() + "/preview?page=3");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("reason").asText()).contains("no page 3");
    }

    @Test
    void imagesTablesArchivesTextAndOfficeDocumentsPreviewByKind() throws IOException {
        BufferedImage big = new BufferedImage(3000, 1500, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(big, "png", png);
        Item photo = upload(trial, "photo.png", "image/png", png.toByteArray());
        BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(
                aliceHttp.get("/api/v1/items/" + photo.id() + "/preview?page=1").body()));
        assertThat(scaled.getWidth()).isEqualTo(1200);
        assertThat(scaled.getHeight()).isEqualTo(600);

        JsonNode table = preview(upload(trial, "labs.csv", "text/csv", "id;value\n1;\"4,5\"\n2;7\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(table.get("kind").asText()).isEqualTo("table");
        assertThat(table.get("sheets").get(0).get("rows").get(1).get(1).asText()).isEqualTo("4,5");

        JsonNode zip = preview(upload(trial, "bundle.zip", "application/zip", SampleFiles.zip("a/b.txt", "hello", "c.txt", "x")));
        assertThat(zip.get("entries").findValuesAsText("name")).containsExactly("a/b.txt", "c.txt");
        JsonNode tar = preview(upload(trial, "bundle.tar.gz", "application/gzip", tarGz("inner/data.bin", 2048)));
        assertThat(tar.get("entries").get(0).get("name").asText()).isEqualTo("inner/data.bin");
        assertThat(tar.get("entries").get(0).get("size").asLong()).isEqualTo(2048);

        JsonNode text = preview(upload(trial, "readme.md", "text/markdown", "# Title\nBody".getBytes(StandardCharsets.UTF_8)));
        assertThat(text.get("text").asText()).isEqualTo("# Title\nBody");

        JsonNode html = preview(upload(trial, "letter.docx", null, SampleFiles.docx("Dear <script>alert(1)</script> colleague")));
        assertThat(html.get("kind").asText()).isEqualTo("html");
        assertThat(html.get("html").asText()).contains("colleague").doesNotContain("<script");

        JsonNode video = preview(upload(trial, "clip.mp4", "video/mp4", new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}));
        assertThat(video.get("kind").asText()).isEqualTo("media");
        assertThat(video.get("src").asText()).endsWith("/content");
    }

    @Test
    void hostileAndBrokenFilesGetAClearNoPreviewAndTheServerStaysUp() {
        JsonNode encrypted = preview(upload(trial, "locked.pdf", "application/pdf", SampleFiles.pdf("pw", "secret")));
        assertThat(encrypted.get("kind").asText()).isEqualTo("none");
        assertThat(encrypted.get("reason").asText()).isNotBlank();
        JsonNode corrupt = preview(upload(trial, "broken.docx", null, SampleFiles.corruptDocx()));
        assertThat(corrupt.get("kind").asText()).isEqualTo("none");
        JsonNode bomb = preview(upload(trial, "lolz.xml", "application/xml", SampleFiles.entityBomb()));
        assertThat(bomb.get("kind").asText()).isEqualTo("text"); // shown as characters, never expanded
        assertThat(bomb.get("text").asText()).contains("<!ENTITY lol10");
        JsonNode lying = preview(upload(trial, "notes.txt", "text/plain", SampleFiles.pdf(null, "really a pdf")));
        assertThat(lying.get("kind").asText()).isEqualTo("pages");
        JsonNode fakePdf = preview(upload(trial, "fake.pdf", "application/pdf", "just text".getBytes(StandardCharsets.UTF_8)));
        assertThat(fakePdf.get("kind").asText()).isEqualTo("none");
        JsonNode garbage = preview(upload(trial, "broken.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
        assertThat(garbage.get("kind").asText()).isEqualTo("pages");
        Item brokenPng = upload(trial, "broken2.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 9, 9, 9});
        HttpTestClient.Response page = aliceHttp.get("/api/v1/items/" + brokenPng.id() + "/preview?page=1");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.json().get("kind").asText()).isEqualTo("none");
        assertThat(aliceHttp.get("/api/v1/items/nope/preview").status()).isEqualTo(404);
        assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
        assertThat(aliceHttp.get("/api/v1/search?q=hepatic").status()).isEqualTo(200);
    }

    @Test
    void aZipIsUnpackedIntoAFolderAsAJobAndUnsafeArchivesAreRefusedWhole() throws Exception {
        var repo = server.repo();
        Folder target = repo.folders().create(alice, trial.id(), "Unpacked", null);
        byte[] inner = SampleFiles.zip("deep.txt", "0".repeat(1000));
        Item archive = upload(trial, "upload.zip", "application/zip", zipOf(Map.of("study/a.txt", "alpha".getBytes(StandardCharsets.UTF_8),
                "study/sub/b.txt", "beta".getBytes(StandardCharsets.UTF_8), "c.txt", "gamma".getBytes(StandardCharsets.UTF_8),
                "nested.zip", inner, "study/./x/../d.txt", "delta".getBytes(StandardCharsets.UTF_8)), false));
        String body = "{\"targetFolderId\":\"" + target.id() + "\"}";
        HttpTestClient.Response started = aliceHttp.post("/api/v1/items/" + archive.id() + "/extract", body);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String jobUrl = started.header("Location");
        JsonNode job = Eventually.until("the unpack job to end", () -> {
            JsonNode now = aliceHttp.get(jobUrl).json();
            return now.get("state").asText().equals("running") ? null : now;
        });
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("done").asInt()).isEqualTo(5);
        assertThat(bobHttp.get(jobUrl).status()).isEqualTo(404);
        Folder study = repo.folders().child(alice, target.id(), "study");
        Folder sub = repo.folders().child(alice, study.id(), "sub");
        assertThat(repo.items().find(alice, sub.id(), "b.txt")).isPresent();
        // Dot segments that stay inside resolve: study/./x/../d.txt is study/d.txt, and no folder x is made.
        assertThat(repo.items().find(alice, study.id(), "d.txt")).isPresent();
        assertThat(repo.folders().children(alice, study.id(), 10, 0).folders()).extracting(Folder::name).containsExactly("sub");
        // The nested archive is stored as it is, never expanded.
        assertThat(repo.items().find(alice, target.id(), "nested.zip").orElseThrow().size()).isEqualTo(inner.length);

        Folder untouched = repo.folders().create(alice, trial.id(), "Untouched", null);
        String into = "{\"targetFolderId\":\"" + untouched.id() + "\"}";
        Map<String, String> refusals = Map.of(
                "zip_slip", upload(trial, "slip.zip", null, zipOf(Map.of("ok.txt", new byte[1], "../evil.txt", new byte[1]), false)).id(),
                "zip_slip ", upload(trial, "abs.zip", null, zipOf(Map.of("/etc/evil", new byte[1]), false)).id(),
                "zip_slip  ", upload(trial, "climb.zip", null, zipOf(Map.of("a/../../evil.txt", new byte[1]), false)).id(),
                "zip_slip   ", upload(trial, "backslash.zip", null, zipOf(Map.of("a\\..\\..\\evil.txt", new byte[1]), false)).id(),
                "zip_bomb", upload(trial, "bomb.zip", null, zipOf(Map.of("zeros.bin", new byte[5_000_000]), false)).id(),
                "encrypted_entry", upload(trial, "locked.zip", null, zipOf(Map.of("secret.txt", new byte[10]), true)).id(),
                "not_a_zip", upload(trial, "plain.txt", null, "not a zip".getBytes(StandardCharsets.UTF_8)).id());
        for (var refusal : refusals.entrySet()) {
            HttpTestClient.Response refused = aliceHttp.post("/api/v1/items/" + refusal.getValue() + "/extract", into);
            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo(refusal.getKey().strip());
        }
        assertThat(repo.folders().children(alice, untouched.id(), 10, 0).total()).isZero();
        assertThat(bobHttp.post("/api/v1/items/" + archive.id() + "/extract", into).status()).isEqualTo(404);
    }

    /** A ZIP written by commons-compress; with {@code flagEncrypted} its entries claim to be encrypted. */
    private static byte[] zipOf(Map<String, byte[]> entries, boolean flagEncrypted) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        if (flagEncrypted) {
            // No library here writes encrypted ZIPs; the flag in the local and central headers is what readers see.
            for (int i = 0; i + 10 < zip.length; i++) {
                if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
                    zip[i + 6] |= 1;
                } else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                    zip[i + 8] |= 1;
                }
            }
        }
        return zip;
    }

    private static String url(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int darkPixels(BufferedImage image) {
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

    private static byte[] tarGz(String name, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            tar.write(new byte[size]);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
