package org.arca.sftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Pushes an upload's bytes to disk while the upload still arrives, so the fsync that makes the finished file
 * durable has only the last stretch left to write. Without it the kernel holds a whole multi-gigabyte upload
 * in dirty pages (its background writeback starts at a tenth of memory) and the client waits, after its last
 * byte, for all of it to reach the disk. One flush per upload at a time, on the given executor; a flush is an
 * optimisation only, so one that fails is dropped (the final fsync reports any real error). Not thread-safe:
 * one write handle feeds it.
 */
final class Writeback {

    /** Bytes written between flushes: large enough that a flush per stretch costs nothing, small to wait for. */
    static final long STRETCH_BYTES = 64L << 20;

    private final FileChannel file;
    private final Executor executor;
    private long unflushed;
    private CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);

    Writeback(FileChannel file, Executor executor) {
        this.file = file;
        this.executor = executor;
    }

    /** Counts bytes just written; starts a flush when a stretch has gathered and the last flush is over. */
    void written(long bytes) {
        unflushed += bytes;
        if (unflushed >= STRETCH_BYTES && flushing.isDone()) {
            unflushed = 0;
            try {
                flushing = CompletableFuture.runAsync(this::flush, executor);
            } catch (RejectedExecutionException e) {
                // The server is stopping: the fsync on adoption, if the upload gets that far, does it all.
            }
        }
    }

    /** Waits for a running flush, so the file can be closed under it. */
    void await() {
        flushing.join();
    }

    private void flush() {
        try {
            file.force(false);
        } catch (IOException e) {
            // Closed under us or a disk error: the fsync on adoption either finds nothing to do or reports it.
        }
    }
}
