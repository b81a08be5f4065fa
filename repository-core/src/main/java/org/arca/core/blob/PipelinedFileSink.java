package org.arca.core.blob;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes and writes chunks on a thread of its own while the caller reads the next chunk from the network,
 * so an upload costs max(receive, hash + write) instead of their sum. A fixed set of buffers bounds the
 * memory (and makes a fast sender wait for a slow disk). Not thread-safe: one producer.
 */
final class PipelinedFileSink implements AutoCloseable {
    private static final int DEPTH = 4;

    private record Chunk(byte[] data, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final FileChannel out;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final Thread worker;
    private final int bufferSize;
    private int created;
    private volatile Throwable failure;
    private boolean finished;

    PipelinedFileSink(FileChannel out, MessageDigest digest, int bufferSize) {
        this.out = out;
        this.digest = digest;
        this.bufferSize = bufferSize;
        this.worker = Thread.ofVirtual().name("blob-writer").start(this::drain);
    }

    /**
     * A buffer to fill; blocks while all buffers are queued for writing. Buffers are made only as the
     * upload needs them, so a small file (a DICOM instance) costs one, not the whole set.
     */
    byte[] buffer() throws IOException {
        rethrow();
        byte[] recycled = free.poll();
        if (recycled != null) {
            return recycled;
        }
        if (created < DEPTH + 1) {
            created++;
            return new byte[bufferSize];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the disk");
        }
    }

    /** Queues the first {@code length} bytes of a buffer obtained from {@link #buffer()}. */
    void submit(byte[] buffer, int length) throws IOException {
        put(new Chunk(buffer, length));
    }

    /** Waits until everything is written (not yet forced to disk); returns the SHA-256 in hex. */
    String finish() throws IOException {
        put(END);
        join();
        rethrow();
        finished = true;
        return HexFormat.of().formatHex(digest.digest());
    }

    private void put(Chunk chunk) throws IOException {
        rethrow();
        try {
            filled.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing a write");
        }
    }

    private void drain() {
        try {
            while (true) {
                Chunk chunk = filled.take();
                if (chunk == END) {
                    return;
                }
                digest.update(chunk.data(), 0, chunk.length());
                ByteBuffer wrapped = ByteBuffer.wrap(chunk.data(), 0, chunk.length());
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
                free.put(chunk.data());
            }
        } catch (Throwable e) {
            failure = e;
            free.clear();
            // Unblock a producer waiting for a buffer; it will see the failure.
            free.offer(new byte[0]);
        }
    }

    private void join() throws IOException {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing a write");
        }
    }

    private void rethrow() throws IOException {
        Throwable e = failure;
        if (e instanceof IOException io) {
            throw io;
        }
        if (e != null) {
            throw new IOException("writing the blob failed", e);
        }
    }

    /** Stops the writer if {@link #finish()} was not reached; the caller deletes the file. */
    @Override
    public void close() {
        if (!finished) {
            worker.interrupt();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
