package org.arca.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.util.concurrent.Executor;
import org.arca.core.blob.BlobStore;

/**
 * A write handle onto a partial upload. Bytes go to the partial file at the offsets the client names (so
 * resumed and out-of-order writes work), are hashed as they pass while they arrive in order
 * ({@link ReceivedHash}), and are flushed to disk in stretches ({@link Writeback}). On close, the file becomes
 * an item only if the client closed the handle itself ({@link #markComplete}); a dropped connection closes it
 * too, and then the bytes wait for a resume instead.
 */
final class UploadChannel implements SeekableByteChannel {

    /** Makes the finished upload an item. */
    @FunctionalInterface
    interface Adopter {
        /**
         * Stores the partial as an item and returns once it is one (durable and committed), or throws why not;
         * either way the callee finishes the partial, since nothing of it may stay. {@code hashed} is the file's
         * blob when its bytes were hashed on the way in, or null: then it is read.
         */
        void adopt(PartialUploads.Partial partial, BlobStore.Blob hashed) throws IOException;
    }

    private final FileChannel file;
    private final PartialUploads.Partial partial;
    private final PartialUploads uploads;
    private final long maxBytes;
    private final Adopter adopter;
    private final ReceivedHash hash = new ReceivedHash();
    private final Writeback writeback;
    private volatile boolean complete;
    private boolean closed;

    UploadChannel(FileChannel file, PartialUploads.Partial partial, PartialUploads uploads, long maxBytes,
                  Executor flushes, Adopter adopter) {
        this.file = file;
        this.writeback = new Writeback(file, flushes);
        this.partial = partial;
        this.uploads = uploads;
        this.maxBytes = maxBytes;
        this.adopter = adopter;
    }

    /** The client sent SSH_FXP_CLOSE for this handle: the upload is whole. */
    void markComplete() {
        complete = true;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (file.position() + src.remaining() > maxBytes) {
            throw new FileSystemException(partial.name(), null, "the file is larger than this repository accepts");
        }
        long at = file.position();
        int n;
        if (hash.continues(at)) {
            ByteBuffer written = src.duplicate();
            n = file.write(src);
            hash.written(at, written.limit(written.position() + n));
        } else {
            hash.giveUp();
            n = file.write(src);
        }
        writeback.written(n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    /**
     * Sets the size as {@code ftruncate(2)} does, which is what an SFTP client asks for with a size in SETSTAT:
     * shorter drops the end, longer adds zeros (where {@link SeekableByteChannel#truncate} would keep the size).
     */
    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        long now = file.size();
        if (size == now) {
            return this;
        }
        if (size > maxBytes) {
            throw new FileSystemException(partial.name(), null, "the file is larger than this repository accepts");
        }
        hash.giveUp();
        if (size < now) {
            file.truncate(size);
        } else {
            file.write(ByteBuffer.allocate(1), size - 1);
        }
        return this;
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        writeback.await();
        file.close();
        if (!complete) {
            uploads.release(partial);
            return;
        }
        BlobStore.Blob hashed;
        try {
            hashed = hash.blob(Files.size(partial.file())).orElse(null);
        } catch (IOException | RuntimeException e) {
            uploads.finish(partial);
            throw e;
        }
        // The client's close is answered when this returns: the item exists then, or the close fails.
        adopter.adopt(partial, hashed);
    }
}
