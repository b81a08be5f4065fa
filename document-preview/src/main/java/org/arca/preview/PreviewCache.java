package org.arca.preview;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Previews on disk, one folder per blob SHA-256 holding its JSON and page images. Bounded: when the
 * folder grows past its limit, the least recently used blobs' previews go (they are made again on demand).
 * Thread-safe.
 */
final class PreviewCache {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewCache.class);

    private final Path root;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    PreviewCache(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(root);
            bytes.set(sizeOf(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the preview cache " + root, e);
        }
    }

    /** Where a preview of these bytes is or will be. */
    Path file(String sha256, String name) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256");
        }
        return root.resolve(sha256).resolve(name);
    }

    /** Marks a cached file used, so eviction keeps it. */
    void touch(Path file) {
        try {
            Files.setLastModifiedTime(file.getParent(), FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // Only eviction order suffers.
        }
    }

    /** Counts a file just added and evicts if the cache is over its limit. */
    void added(Path file) {
        try {
            if (bytes.addAndGet(Files.size(file)) > maxBytes) {
                evict();
            }
        } catch (IOException e) {
            LOG.warn("preview cache accounting failed", e);
        }
    }

    private synchronized void evict() throws IOException {
        List<Path> blobs;
        try (Stream<Path> dirs = Files.list(root)) {
            blobs = dirs.filter(Files::isDirectory).sorted(Comparator.comparing(PreviewCache::modified)).toList();
        }
        for (Path dir : blobs) {
            if (bytes.get() <= maxBytes * 9 / 10) {
                break;
            }
            bytes.addAndGet(-sizeOf(dir));
            delete(dir);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
