package org.arca.sftp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.arca.core.blob.BlobStore;

/**
 * The SHA-256 of an upload computed from the writes as they arrive, so a finished upload need not be read
 * again to find its content address. It holds only while every write starts where the previous one ended,
 * from offset 0 (what every client does for a fresh upload); the first write anywhere else (a resume, a
 * client writing out of order, a rewrite) or a truncation gives it up for good, and the file is then hashed
 * from disk. Not thread-safe: one write handle feeds it.
 */
final class ReceivedHash {

    private MessageDigest digest;
    private long hashed;

    ReceivedHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a write at {@code position} keeps the hash: it must continue exactly where the hashed bytes end. */
    boolean continues(long position) {
        return digest != null && position == hashed;
    }

    /** Adds the bytes just written at {@code position}; {@code written} holds exactly those bytes. */
    void written(long position, ByteBuffer written) {
        if (!continues(position)) {
            giveUp();
            return;
        }
        hashed += written.remaining();
        digest.update(written);
    }

    /** The file changed in a way the hash cannot follow. */
    void giveUp() {
        digest = null;
    }

    /** The blob the file is, if every one of its {@code size} bytes was hashed in order. */
    Optional<BlobStore.Blob> blob(long size) {
        if (digest == null || hashed != size) {
            return Optional.empty();
        }
        return Optional.of(new BlobStore.Blob(HexFormat.of().formatHex(digest.digest()), size));
    }
}
