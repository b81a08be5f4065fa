package org.arca.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.search.SearchQuery;
import org.arca.core.search.SearchResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text extraction end to end: real documents through a real worker process into the table and the search
 * index, and hostile or broken ones into a clear failure while the repository keeps answering.
 */
class TextExtractorTest {
    static TestRepository test;
    static TextExtractor extractor;
    static Caller owner;
    static Folder folder;

    @BeforeAll
    static void open() {
        test = new TestRepository(TestDatabases.Kind.H2,
                config -> config.withSchemas(java.util.List.of(DocumentPreviewPlugin.SCHEMA)));
        extractor = wire(ExtractionLimits.defaults());
        owner = test.user("owner");
        folder = test.repo().folders().createCollection(owner, "Documents", null);
    }

    static TextExtractor wire(ExtractionLimits limits) {
        TextExtractor made = new TextExtractor(test.repo().database(), test.repo().bytes(), test.repo().searchIndex(), limits,
                test.dataDir().resolve("work"), test.repo().sandbox());
        test.repo().items().addListener(made);
        test.repo().searchIndex().addContributor(made);
        return made;
    }

    @AfterAll
    static void close() {
        extractor.close();
        test.close();
    }

    static Item upload(String name, String type, byte[] bytes) {
        return test.repo().items().upload(owner, folder.id(), name, type, new ByteArrayInputStream(bytes), bytes.length, false);
    }

    static Extraction extracted(Item item) {
        extractor.awaitQueued();
        return extractor.state(item.primaryFile().sha256()).orElseThrow();
    }

    @Test
    void wordsOfPdfAndWordFilesBecomeSearchable() {
        Item pdf = upload("report.pdf", "application/pdf", SampleFiles.pdf(null, "Fibrosis score improved", "second page"));
        Item docx = upload("consent.docx", "application/octet-stream", SampleFiles.docx("Informed consent withdrawn"));
        assertThat(extracted(pdf)).satisfies(e -> {
            assertThat(e.state()).isEqualTo(Extraction.DONE);
            assertThat(e.mediaType()).isEqualTo("application/pdf");
        });
        assertThat(extracted(docx).state()).isEqualTo(Extraction.DONE);
        test.repo().searchIndex().awaitQueued();
        SearchResult found = test.repo().search(owner, SearchQuery.of("fibrosis"));
        assertThat(found.hits()).extracting(SearchResult.Hit::name).containsExactly("report.pdf");
        assertThat(found.hits().get(0).snippet()).contains("<mark>Fibrosis</mark>");
        assertThat(test.repo().search(owner, SearchQuery.of("\"consent withdrawn\"")).hits())
                .extracting(SearchResult.Hit::name).containsExactly("consent.docx");
    }

    @Test
    void binaryDataOfNoTextFormatIsSkippedWithoutAWorkerButADisguisedDocumentIsNot() {
        byte[] raw = new byte[20_000];
        new java.util.Random(3).nextBytes(raw);
        raw[100] = 0;
        Extraction dump = extracted(upload("scan-0001.bin", "application/octet-stream", raw));
        assertThat(dump.state()).isEqualTo(Extraction.SKIPPED);
        assertThat(dump.reason()).isEqualTo("binary data in no format with text");
        // A Word file whose name and type say nothing still starts as the ZIP it is, and is read.
        Item letter = upload("letter.bin", "application/octet-stream", SampleFiles.docx("Adverse event reported late"));
        assertThat(extracted(letter).state()).isEqualTo(Extraction.DONE);
        // Plain text without a known name has no NUL bytes and goes to the worker as before.
        Item notes = upload("NOTES", null, "visit notes: lesion stable".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(extracted(notes).state()).isEqualTo(Extraction.DONE);
        test.repo().searchIndex().awaitQueued();
        assertThat(test.repo().search(owner, SearchQuery.of("\"adverse event\"")).hits()).extracting(SearchResult.Hit::name)
                .containsExactly("letter.bin");
        assertThat(test.repo().search(owner, SearchQuery.of("lesion")).hits()).extracting(SearchResult.Hit::name)
                .containsExactly("NOTES");
    }

    @Test
    void identicalBytesAreExtractedOnce() {
        byte[] bytes = SampleFiles.docx("the same words twice");
        Item first = upload("a.docx", null, bytes);
        extracted(first);
        Item second = upload("b.docx", null, bytes);
        assertThat(extracted(second).state()).isEqualTo(Extraction.DONE);
        test.repo().searchIndex().awaitQueued();
        assertThat(test.repo().search(owner, SearchQuery.of("twice")).total()).isEqualTo(2);
    }

    @Test
    void brokenAndHostileFilesFailWithAReasonAndTheRepositoryKeepsAnswering() {
        Extraction encrypted = extracted(upload("locked.pdf", "application/pdf", SampleFiles.pdf("secret", "hidden words")));
        assertThat(encrypted.state()).isEqualTo(Extraction.FAILED);
        assertThat(encrypted.reason()).contains("encrypted");
        Extraction corrupt = extracted(upload("broken.docx", null, SampleFiles.corruptDocx()));
        assertThat(corrupt.state()).isEqualTo(Extraction.FAILED);
        assertThat(corrupt.reason()).startsWith("unreadable");
        Extraction bomb = extracted(upload("lolz.xml", "application/xml", SampleFiles.entityBomb()));
        // Tika's XML parser refuses the expansion; either way no billion "lol"s reach the index.
        assertThat(bomb.characters()).isLessThan(1_000);
        Extraction lying = extracted(upload("photo.txt", "text/plain", SampleFiles.pdf(null, "A pdf in disguise")));
        assertThat(lying.mediaType()).isEqualTo("application/pdf");
        assertThat(test.repo().healthy()).isTrue();
    }

    @Test
    void aWorkerOverItsLimitsIsStoppedAndTheReasonKept() {
        TextExtractor impatient = new TextExtractor(test.repo().database(), test.repo().bytes(), test.repo().searchIndex(),
                new ExtractionLimits(1 << 20, 1000, Duration.ofMillis(1), 384), test.dataDir().resolve("work"), test.repo().sandbox());
        TextExtractor starved = new TextExtractor(test.repo().database(), test.repo().bytes(), test.repo().searchIndex(),
                new ExtractionLimits(1 << 20, 1000, Duration.ofSeconds(60), 4), test.dataDir().resolve("work"), test.repo().sandbox());
        try {
            byte[] slow = SampleFiles.docx("never read in time");
            Item item = upload("slow.docx", null, slow);
            extractor.awaitQueued(); // the listening extractor did it; forget, and ask the limited ones
            forget(item);
            impatient.request(item.primaryFile());
            impatient.awaitQueued();
            Extraction timedOut = impatient.state(item.primaryFile().sha256()).orElseThrow();
            assertThat(timedOut.state()).isEqualTo(Extraction.FAILED);
            assertThat(timedOut.reason()).contains("took longer");
            forget(item);
            starved.request(item.primaryFile());
            starved.awaitQueued();
            Extraction dead = starved.state(item.primaryFile().sha256()).orElseThrow();
            assertThat(dead.state()).isEqualTo(Extraction.FAILED);
            assertThat(dead.reason()).containsAnyOf("memory", "ended with code");
            forget(item);
            try (TextExtractor strict = new TextExtractor(test.repo().database(), test.repo().bytes(), test.repo().searchIndex(),
                    new ExtractionLimits(10, 1000, Duration.ofSeconds(60), 384), test.dataDir().resolve("work"), test.repo().sandbox())) {
                strict.request(item.primaryFile());
                Extraction skipped = strict.state(item.primaryFile().sha256()).orElseThrow();
                assertThat(skipped.state()).isEqualTo(Extraction.SKIPPED);
                assertThat(skipped.reason()).startsWith("too large");
            }
        } finally {
            impatient.close();
            starved.close();
        }
    }

    @Test
    void pendingWorkIsPickedUpAfterARestart() {
        byte[] bytes = SampleFiles.docx("left behind by a crash");
        Item item = test.repo().items().upload(owner, folder.id(), "crash.docx", null, new ByteArrayInputStream(bytes),
                bytes.length, false);
        extractor.awaitQueued();
        resetToPending(item);
        try (TextExtractor restarted = new TextExtractor(test.repo().database(), test.repo().bytes(), test.repo().searchIndex(),
                ExtractionLimits.defaults(), test.dataDir().resolve("work"), test.repo().sandbox())) {
            restarted.awaitQueued();
            assertThat(restarted.state(item.primaryFile().sha256()).orElseThrow().state()).isEqualTo(Extraction.DONE);
        }
    }

    private static void resetToPending(Item item) {
        test.repo().database().dsl().update(TextTable.T).set(TextTable.STATE, Extraction.PENDING).set(TextTable.REASON, (String) null)
                .where(TextTable.SHA256.eq(item.primaryFile().sha256())).execute();
    }

    private static void forget(Item item) {
        test.repo().database().dsl().deleteFrom(TextTable.T).where(TextTable.SHA256.eq(item.primaryFile().sha256())).execute();
    }
}
