package org.arca.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip encoding of a viewer file, made once per file version rather than on every request: the OHIF viewer is
 * some 27 MB of scripts that every browser without them cached fetches, and compressing them per request costs the
 * server more time than the transfer it saves on a fast network.
 */
final class GzipCopy {
    /** Types that compress (text, JSON, WebAssembly); images and fonts other than TrueType already are. */
    private static final Set<String> COMPRESSIBLE = Set.of("html", "js", "mjs", "css", "json", "map", "svg", "txt", "xml",
            "wasm", "ttf", "ico");
    /** Larger files (source maps of a development build) are sent as they are rather than held in memory. */
    private static final long MAX_BYTES = 64L << 20;

    private GzipCopy() {
    }

    /** The gzip of {@code rewritten}, or else of the file, when its type compresses; null otherwise. */
    static byte[] of(String extension, byte[] rewritten, Path file) throws IOException {
        if (!COMPRESSIBLE.contains(extension) || (rewritten == null && Files.size(file) > MAX_BYTES)) {
            return null;
        }
        byte[] plain = rewritten != null ? rewritten : Files.readAllBytes(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Whether an {@code Accept-Encoding} header gives gzip (by name or {@code *}) a weight above zero. Without the
     * header the file goes as it is, as the client may not decode any coding.
     */
    static boolean accepted(String acceptEncoding) {
        return acceptEncoding != null && !acceptEncoding.isBlank() && AcceptHeader.parse(acceptEncoding).weight("gzip") > 0;
    }
}
