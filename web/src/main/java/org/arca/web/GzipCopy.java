package org.arca.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip encodings of viewer files, made once per file version rather than on every request: the OHIF viewer is
 * some 27 MB of scripts that every browser without them cached fetches, and compressing them per request costs the
 * server more time than the transfer saves on a fast network. A large file's copy is made in the background, so
 * no request waits for it: until it is ready the file goes as it is. Thread-safe.
 */
final class GzipCopy {
    /** Types that compress (text, JSON, WebAssembly); images and fonts other than TrueType already are. */
    private static final Set<String> COMPRESSIBLE = Set.of("html", "js", "mjs", "css", "json", "map", "svg", "txt", "xml",
            "wasm", "ttf", "ico");
    /** Files up to this size are gzipped on the request that first asks (quicker than a queue); larger ones later. */
    private static final long MADE_AT_ONCE = 256L << 10;
    /** Larger files (source maps of a development build) are always sent as they are rather than held in memory. */
    private static final long MAX_BYTES = 64L << 20;

    /** The file's bytes as served (rewritten or not). */
    interface Plain {
        byte[] read() throws IOException;
    }

    private record Copy(long size, long modified, byte[] gzipped) {
    }

    private final Map<Path, Copy> copies = new ConcurrentHashMap<>();
    private final Set<Path> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService maker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("ohif-gzip").factory());

    static boolean compressible(String extension, long size) {
        return COMPRESSIBLE.contains(extension) && size <= MAX_BYTES;
    }

    /**
     * The gzip of this version of the file when it is made, else null: a small file's is made now, a large one's
     * is queued. {@code size} and {@code modified} are the file's on disk, which name its version.
     */
    byte[] of(Path file, long size, long modified, String extension, Plain plain) throws IOException {
        if (!compressible(extension, size)) {
            return null;
        }
        Copy copy = copies.get(file);
        if (copy != null && copy.size() == size && copy.modified() == modified) {
            return copy.gzipped();
        }
        if (size <= MADE_AT_ONCE) {
            return make(file, size, modified, plain);
        }
        later(file, size, modified, plain);
        return null;
    }

    /** Queues the copy (ahead of the first request), unless this version's is made or queued. */
    void prepare(Path file, long size, long modified, String extension, Plain plain) {
        Copy copy = copies.get(file);
        if (compressible(extension, size) && (copy == null || copy.size() != size || copy.modified() != modified)) {
            later(file, size, modified, plain);
        }
    }

    private void later(Path file, long size, long modified, Plain plain) {
        if (queued.add(file)) {
            maker.execute(() -> {
                try {
                    make(file, size, modified, plain);
                } catch (IOException | RuntimeException e) {
                    // The file goes as it is; the next request queues it again.
                } finally {
                    queued.remove(file);
                }
            });
        }
    }

    private byte[] make(Path file, long size, long modified, Plain plain) throws IOException {
        byte[] bytes = plain.read();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory", e);
        }
        byte[] gzipped = out.toByteArray();
        copies.put(file, new Copy(size, modified, gzipped));
        return gzipped;
    }

    /**
     * Whether an {@code Accept-Encoding} header gives gzip (by name or {@code *}) a weight above zero. Without the
     * header the file goes as it is, as the client may not decode any coding.
     */
    static boolean accepted(String acceptEncoding) {
        return acceptEncoding != null && !acceptEncoding.isBlank() && AcceptHeader.parse(acceptEncoding).weight("gzip") > 0;
    }
}
