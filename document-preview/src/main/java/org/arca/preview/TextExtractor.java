package org.arca.preview;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.FileKind;
import org.arca.core.ItemListener;
import org.arca.core.Sandbox;
import org.arca.core.StoredBytes;
import org.arca.core.StoredFile;
import org.arca.core.access.Caller;
import org.arca.core.search.SearchContributor;
import org.arca.core.search.SearchFields;
import org.arca.core.search.SearchIndex;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the text of every file any surface stores, with Tika in a worker process per file (so a hostile
 * file can hang or exhaust only that process), on one thread of its own, after the upload has returned.
 * Results are kept per blob SHA-256, so identical bytes are extracted once; when text arrives the search
 * index is told, and as a {@link SearchContributor} this class gives it the text. Work still pending when
 * Arca stopped is queued again on start. Thread-safe; close it once.
 */
public final class TextExtractor implements ItemListener, SearchContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TextExtractor.class);
    /** Kinds without words for Tika to find (no OCR here); their search documents have names and metadata. */
    private static final Set<FileKind> WORDLESS = Set.of(FileKind.DICOM, FileKind.IMAGE, FileKind.VIDEO, FileKind.AUDIO);

    private final Database db;
    private final StoredBytes bytes;
    private final SearchIndex search;
    private final ExtractionLimits limits;
    private final Path workRoot;
    private final Sandbox sandbox;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("arca-text-extraction").factory());

    /**
     * {@code workRoot} holds each job's temporary folder (the worker's output and temp files); {@code bytes} is where
     * files are read, as Arca itself ({@link Caller#SYSTEM}).
     */
    public TextExtractor(Database db, StoredBytes bytes, SearchIndex search, ExtractionLimits limits, Path workRoot,
                         Sandbox sandbox) {
        this.sandbox = sandbox;
        this.db = db;
        this.bytes = bytes;
        this.search = search;
        this.limits = limits;
        this.workRoot = workRoot;
        resumePending();
    }

    private void resumePending() {
        for (String sha : db.dsl().select(TextTable.SHA256).from(TextTable.T).where(TextTable.STATE.eq(Extraction.PENDING))
                .fetch(TextTable.SHA256)) {
            enqueue(sha);
        }
    }

    @Override
    public void itemChanged(ItemEvent event) {
        itemsChanged(List.of(event));
    }

    @Override
    public void itemsChanged(List<ItemEvent> events) {
        // A deleted item's text stays with the blob; another item may hold the same bytes.
        requestAll(events.stream().filter(e -> e.change() != Change.DELETED).flatMap(e -> e.item().files().stream())
                .toList());
    }

    /** Queues a file's bytes for extraction unless they were seen before. */
    void request(StoredFile file) {
        requestAll(List.of(file));
    }

    /**
     * Queues each file's bytes for extraction unless they were seen before, or records why there is nothing to
     * extract: one query for the bytes seen and one statement for the new rows, however many files.
     */
    private void requestAll(List<StoredFile> files) {
        if (files.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>(db.dsl().select(TextTable.SHA256).from(TextTable.T)
                .where(TextTable.SHA256.in(files.stream().map(StoredFile::sha256).distinct().toList()))
                .fetch(TextTable.SHA256));
        List<Request> requests = new ArrayList<>();
        for (StoredFile file : files) {
            if (seen.add(file.sha256())) {
                requests.add(decide(file));
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        List<Request> inserted = insertAll(requests);
        for (Request request : inserted) {
            if (request.state().equals(Extraction.PENDING)) {
                enqueue(request.sha256());
            }
        }
    }

    /** A row of the text table to be: the bytes, and whether they wait for extraction or why they do not. */
    private record Request(String sha256, String state, String reason) {
    }

    private Request decide(StoredFile file) {
        FileKind kind = FileKind.of(file.name(), file.mediaType());
        if (WORDLESS.contains(kind) && !isPdf(file)) {
            return new Request(file.sha256(), Extraction.SKIPPED, "no text to extract from " + kind.wireName() + " files");
        }
        if (file.size() > limits.maxFileBytes()) {
            return new Request(file.sha256(), Extraction.SKIPPED,
                    "too large (over " + (limits.maxFileBytes() >> 20) + " MB)");
        }
        if (kind == FileKind.OTHER && textlessBinary(file)) {
            return new Request(file.sha256(), Extraction.SKIPPED, "binary data in no format with text");
        }
        return new Request(file.sha256(), Extraction.PENDING, null);
    }

    /**
     * Inserts the rows in one statement; should another upload of the same bytes get there first, each goes
     * on its own and that one is left out. Returns the requests whose row this call inserted.
     */
    private List<Request> insertAll(List<Request> requests) {
        var rows = db.dsl().insertInto(TextTable.T, TextTable.SHA256, TextTable.STATE, TextTable.REASON, TextTable.UPDATED_AT);
        OffsetDateTime at = now();
        for (Request request : requests) {
            rows = rows.values(request.sha256(), request.state(), request.reason(), at);
        }
        try {
            rows.execute();
            return requests;
        } catch (DataAccessException e) {
            return requests.stream().filter(r -> insert(r.sha256(), r.state(), r.reason())).toList();
        }
    }

    /**
     * A name can lie about the type: a PDF called photo.jpg still has words, and previews already show it as the
     * PDF it is, so its first bytes decide here too.
     */
    private boolean isPdf(StoredFile file) {
        try (var in = java.nio.file.Files.newInputStream(path(file.sha256()))) {
            return java.util.Arrays.equals(in.readNBytes(5), "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException | ArcaException e) {
            return false;
        }
    }

    private boolean textlessBinary(StoredFile file) {
        try {
            return TextlessBinary.is(path(file.sha256()));
        } catch (IOException | ArcaException e) {
            return false; // let the worker meet the problem and record it
        }
    }

    /** The bytes as a file, read as Arca: extraction is audited nowhere, as indexing is not. */
    private Path path(String sha) {
        return bytes.read(Caller.SYSTEM, List.of(sha), StoredBytes.Audit.partOf("text.extract")).path(sha);
    }

    private boolean insert(String sha, String state, String reason) {
        try {
            db.dsl().insertInto(TextTable.T).set(TextTable.SHA256, sha).set(TextTable.STATE, state).set(TextTable.REASON, reason)
                    .set(TextTable.UPDATED_AT, now()).execute();
            return true;
        } catch (DataAccessException e) {
            return false; // another upload of the same bytes got there first
        }
    }

    private void enqueue(String sha) {
        if (queued.add(sha)) {
            worker.execute(() -> {
                try {
                    extract(sha);
                } finally {
                    queued.remove(sha);
                }
            });
        }
    }

    private void extract(String sha) {
        Path input;
        try {
            input = path(sha);
        } catch (ArcaException gone) {
            // No item holds the bytes any more: nothing to search. Should they come back, they are asked for anew.
            db.dsl().deleteFrom(TextTable.T).where(TextTable.SHA256.eq(sha)).and(TextTable.STATE.eq(Extraction.PENDING))
                    .execute();
            return;
        }
        Path job = null;
        try {
            job = Files.createTempDirectory(Files.createDirectories(workRoot), "extract-");
            Path output = job.resolve("text.out");
            WorkerProcess.Outcome outcome = new WorkerProcess(sandbox, limits.heapMegabytes(), limits.timeout().toMillis())
                    .run(ExtractionWorker.class, job, input, job.resolve(WorkerProcess.INPUT).toString(), output.toString(),
                            Integer.toString(limits.maxChars()));
            if (outcome.timedOut()) {
                finish(sha, Extraction.FAILED, "took longer than " + limits.timeout().toSeconds() + " s", null, null);
            } else if (outcome.outOfMemory()) {
                finish(sha, Extraction.FAILED, "needed more than " + limits.heapMegabytes() + " MB of memory", null, null);
            } else if (outcome.exitCode() != 0 || !Files.exists(output)) {
                finish(sha, Extraction.FAILED, "the extraction process ended with code " + outcome.exitCode(), null, null);
            } else {
                record(sha, new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("text extraction of blob {} could not run", sha, e);
            finish(sha, Extraction.FAILED, "could not run: " + e.getClass().getSimpleName(), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: the row stays pending and is retried on start
            return;
        } finally {
            delete(job);
        }
        search.contentChanged(sha);
    }

    private void record(String sha, String output) {
        int newline = output.indexOf('\n');
        String head = newline < 0 ? output : output.substring(0, newline);
        if (head.startsWith("ok ")) {
            String text = newline < 0 ? "" : output.substring(newline + 1).strip();
            // NUL cannot be stored in PostgreSQL text; it carries no words anyway.
            text = text.replace('\0', ' ');
            if (text.length() > limits.maxChars()) {
                text = text.substring(0, limits.maxChars());
            }
            finish(sha, Extraction.DONE, null, head.substring(3), text);
        } else {
            finish(sha, Extraction.FAILED, head.startsWith("failed ") ? head.substring(7) : "unexpected worker output", null, null);
        }
    }

    private void finish(String sha, String state, String reason, String mediaType, String text) {
        db.dsl().update(TextTable.T).set(TextTable.STATE, state).set(TextTable.REASON, cut(reason, 500))
                .set(TextTable.MEDIA_TYPE, cut(mediaType, 255)).set(TextTable.CONTENT, text).set(TextTable.UPDATED_AT, now())
                .where(TextTable.SHA256.eq(sha)).execute();
    }

    /** Where extraction of these bytes stands, if it was ever asked for. */
    public Optional<Extraction> state(String sha256) {
        return ExtractionStates.of(db, sha256);
    }

    @Override
    public void contribute(StoredFile file, SearchFields fields) {
        String text = db.dsl().select(TextTable.CONTENT).from(TextTable.T).where(TextTable.SHA256.eq(file.sha256()))
                .and(TextTable.STATE.eq(Extraction.DONE)).fetchOptional(TextTable.CONTENT).orElse(null);
        fields.text(text);
    }

    /** Waits until everything queued so far is extracted: for tests and benchmarks. */
    public void awaitQueued() {
        try {
            worker.submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            PreviewCache.delete(dir);
        } catch (IOException e) {
            LOG.warn("could not remove the extraction folder {}", dir, e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
