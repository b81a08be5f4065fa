package org.arca.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.arca.core.blob.BlobStore;

/**
 * Blobs a {@link StoredBytes#read} allowed, for the rest of the request or job that asked: only those, so a reader
 * cannot reach other bytes with what it was given.
 */
public final class ReadableBytes {
    private final BlobStore blobs;
    private final Set<String> allowed;

    ReadableBytes(BlobStore blobs, Set<String> allowed) {
        this.blobs = blobs;
        this.allowed = allowed;
    }

    /** The bytes as a local file, for readers that need one (the DICOM reader, ranged and zero-copy reads). */
    public Path path(String sha256) {
        return blobs.path(allowed(sha256));
    }

    public InputStream open(String sha256) throws IOException {
        return blobs.open(allowed(sha256));
    }

    private String allowed(String sha256) {
        if (!allowed.contains(sha256)) {
            throw new IllegalArgumentException("bytes outside this read: " + sha256);
        }
        return sha256;
    }
}
