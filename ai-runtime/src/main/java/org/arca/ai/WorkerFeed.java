package org.arca.ai;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the server writes a job's prepared frames: the job's own copy ({@code input.bin}, read back to draw
 * overlays from what the model saw) and then the worker's standard input, so each frame is in the copy before the
 * worker can have a result for it. A write the worker does not take because it ended is a {@link WorkerGone}: the
 * worker's own outcome then says why. Counts the time spent waiting for the worker to take frames, which is the
 * worker's pace, not preparation. Written from one thread.
 */
final class WorkerFeed extends OutputStream {
    /** The worker ended (or was killed) before it read all the frames. */
    static final class WorkerGone extends IOException {
        WorkerGone(IOException cause) {
            super("the worker stopped reading its input: " + cause.getMessage(), cause);
        }
    }

    private final OutputStream copy;
    private final OutputStream worker;
    private long waitedNanos;

    WorkerFeed(Path copy, OutputStream worker) throws IOException {
        this.copy = Files.newOutputStream(copy);
        this.worker = worker;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        copy.write(b, off, len);
        long t = System.nanoTime();
        try {
            worker.write(b, off, len);
        } catch (IOException e) {
            throw new WorkerGone(e);
        } finally {
            waitedNanos += System.nanoTime() - t;
        }
    }

    @Override
    public void flush() throws IOException {
        copy.flush();
        long t = System.nanoTime();
        try {
            worker.flush();
        } catch (IOException e) {
            throw new WorkerGone(e);
        } finally {
            waitedNanos += System.nanoTime() - t;
        }
    }

    /** Closes the copy, then the worker's input, which tells it no frame follows. */
    @Override
    public void close() throws IOException {
        try {
            copy.close();
        } finally {
            try {
                worker.close();
            } catch (IOException e) {
                throw new WorkerGone(e);
            }
        }
    }

    /** Milliseconds spent waiting for the worker to take the frames written. */
    long waitedMillis() {
        return waitedNanos / 1_000_000;
    }
}
