package org.arca.dicomweb;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.arca.core.ReadableBytes;
import org.arca.core.blob.BlobStore;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomJson;
import org.arca.dicom.DicomReader;

/**
 * WADO-RS metadata of stored instances, parsed once per blob and kept as DICOM JSON on disk (a cache of the
 * blobs, keyed by SHA-256, safe to delete). A viewer asks series metadata for every series it opens; with
 * the cache a 1,000-instance series is 1,000 small file reads, not 1,000 parses. Bulk data URIs depend on
 * where the instance is served from, so the cache holds a placeholder that is filled per request.
 * Thread-safe: concurrent fills of one entry write the same bytes and rename atomically.
 */
public final class MetadataCache {
    /** Binary values longer than this are sent by reference (BulkDataURI), as PS3.18 F.2.6 allows. */
    public static final long BULK_THRESHOLD = 256;
    private static final String PLACEHOLDER = "arca-instance-uri:";
    private static final String VERSION = "v1";
    private static final int MEMORY_ENTRIES = 4096;

    private final BlobStore blobs;
    private final Path folder;
    private final Map<String, String> recent = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MEMORY_ENTRIES;
                }
            });

    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
            Thread.ofPlatform().daemon().name("dicom-metadata-cache").factory());

    public MetadataCache(BlobStore blobs, Path folder) {
        this.blobs = blobs;
        this.folder = folder;
    }

    /** The cache of a repository whose data folder is {@code dataDir}: one place, for the server and for {@code gc}. */
    public static MetadataCache in(BlobStore blobs, Path dataDir) {
        return new MetadataCache(blobs, dataDir.resolve("cache").resolve("dicom-metadata"));
    }

    /**
     * Deletes entries whose blob is gone, and entries of older cache versions. The entries hold patient data,
     * so they must not outlive the instances they were made from (run after the blob store's {@code gc}).
     * Returns how many entries were deleted.
     */
    public int prune() throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        List<Path> files;
        try (var walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            boolean current = file.getParent().getParent().equals(folder.resolve(VERSION)) && name.endsWith(".json");
            String sha = current ? name.substring(0, name.length() - ".json".length()) : null;
            if (sha == null || !blobs.exists(sha)) {
                Files.deleteIfExists(file);
                recent.remove(sha);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Parses the instance now unless its JSON is already made, so a caller answering for many instances can find
     * an unreadable one ({@link org.arca.dicom.DicomFormatException}) before it starts its answer. The instance is
     * parsed from {@code bytes}, the read the caller was allowed.
     */
    public void prepare(ReadableBytes bytes, String sha256) throws IOException {
        template(bytes, sha256);
    }

    /**
     * {@link #prepare} for many instances (a series a viewer opens): those not in memory are parsed in parallel, and
     * their cache files are written in the background, so the first answer for a series waits for neither one parse
     * after another nor a thousand small file writes.
     */
    public void prepareAll(ReadableBytes bytes, List<String> sha256s) throws IOException {
        List<String> missing = sha256s.stream().distinct().filter(sha -> !recent.containsKey(sha)).toList();
        try {
            (missing.size() < 16 ? missing.stream() : missing.parallelStream()).forEach(sha -> {
                try {
                    template(bytes, sha);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Writes the instance's DICOM JSON object, with bulk data URIs under {@code instanceUri}. */
    public void write(ReadableBytes bytes, String sha256, String instanceUri, Writer out) throws IOException {
        out.write(template(bytes, sha256).replace(PLACEHOLDER, instanceUri));
    }

    private String template(ReadableBytes bytes, String sha256) throws IOException {
        String cached = recent.get(sha256);
        if (cached != null) {
            return cached;
        }
        Path file = folder.resolve(VERSION).resolve(sha256.substring(0, 2)).resolve(sha256 + ".json");
        String json;
        if (Files.exists(file)) {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            DicomFile dicom = DicomReader.read(bytes.path(sha256), DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
            json = DicomJson.toJson(dicom.dataset(), DicomJson.Options.INLINE.withBulkData(BULK_THRESHOLD,
                    (path, element) -> PLACEHOLDER + "/bulkdata/" + path));
            storeLater(file, json);
        }
        recent.put(sha256, json);
        return json;
    }

    /** Returns once every cache file queued so far is written (for a caller that reads the folder next). */
    public void flush() {
        try {
            writer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | RejectedExecutionException e) {
            // Nothing queued could fail the no-op; a rejected one means the queue is full of writes still to come.
        }
    }

    /** Cache files are written off the request's path; a full queue makes the request write its own. */
    private void storeLater(Path file, String json) {
        try {
            writer.execute(() -> store(file, json));
        } catch (RejectedExecutionException e) {
            store(file, json);
        }
    }

    private static void store(Path file, String json) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "meta-", ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The cache is an optimisation: a failed write only means the next request parses again.
            if (!(e instanceof java.nio.file.FileSystemException)) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
