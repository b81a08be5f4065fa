package org.arca.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.arca.core.ArcaException;

/**
 * Content-addressed storage of bytes by SHA-256. {@link #write} returns only once the bytes are durable,
 * so a metadata row that names a blob can commit after it. Identical bytes are stored once.
 * Implementations are thread-safe.
 */
public interface BlobStore {

    /** Where a written blob ended up. */
    record Blob(String sha256, long size) {
    }

    /**
     * Streams {@code in} to durable storage. Stops with {@link ArcaException.Kind#TOO_LARGE} past
     * {@code maxBytes} and {@link ArcaException.Kind#INCOMPLETE} when {@code expectedLength >= 0} and the
     * stream ends short; in both cases nothing is left behind.
     */
    Blob write(InputStream in, long expectedLength, long maxBytes);

    /**
     * Starts a blob whose bytes are pushed to it piece by piece (a multipart parser that hands over each part's
     * content as it arrives). Nothing is stored unless {@link Writer#finish()} is called; closing an unfinished
     * writer leaves nothing behind.
     */
    Writer writer(long maxBytes);

    /** A blob being written. Not thread-safe: one producer. */
    interface Writer extends AutoCloseable {
        /** Appends the buffer's remaining bytes; {@link ArcaException.Kind#TOO_LARGE} past the limit. */
        void write(java.nio.ByteBuffer bytes);

        /** Makes the bytes durable and returns the blob; {@link ArcaException.Kind#INCOMPLETE} if writing failed. */
        Blob finish();

        /** Abandons the blob unless it was finished. */
        @Override
        void close();
    }

    /** Stores an existing file by moving it in (its name is a temporary one of the caller's). */
    Blob adopt(Path file);

    /**
     * As {@link #adopt(Path)} for a file whose SHA-256 the caller computed while writing it, so its bytes are not
     * read a second time. The caller vouches for the hash; the store checks only the size (a wrong hash would
     * file the bytes under the wrong address, which {@link #verify} reports). Refuses with
     * {@link ArcaException.Kind#INCOMPLETE} when the size differs, leaving the file where it was.
     */
    Blob adopt(Path file, Blob hashed);

    /** The blob's bytes as a local file, for ranged and zero-copy reads. */
    Path path(String sha256);

    InputStream open(String sha256) throws IOException;

    boolean exists(String sha256);

    /** Every stored blob with its last-modified time, for {@code gc} and {@code verify}. */
    Stream<StoredBlob> list() throws IOException;

    /** Re-hashes a blob; true when its bytes still match its name. */
    boolean verify(String sha256) throws IOException;

    void delete(String sha256) throws IOException;

    /** Bytes in use on disk. */
    long storedBytes();

    /**
     * Removes temporary files of writes that ended without finishing (a crash, a killed process), untouched for
     * {@code olderThan} or longer. A write still under way, in this process or another, keeps its file whatever
     * its age. Returns how many were removed.
     */
    int removeTemporaries(java.time.Duration olderThan) throws IOException;

    /** One blob as found on disk. */
    record StoredBlob(String sha256, long size, Instant modified) {
    }
}
