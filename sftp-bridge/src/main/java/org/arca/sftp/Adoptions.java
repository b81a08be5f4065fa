package org.arca.sftp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads one SFTP session closed complete, made items in the background. A client sends its files one
 * after another and waits for each close; OpenSSH's {@code sftp-server} answers a close once the bytes are
 * written, and so does Arca now, while making the file durable and recording it (fsync, blob store, the
 * item's transaction, the listeners) overlaps the next file's transfer. That overlap is most of what an
 * upload of many small files costs.
 *
 * <p>What a user sees stays as it was: every other request of the session waits first for its uploads
 * ({@link #settle}), so a listing, a stat or a download right after a put finds the item; a new upload of a
 * name still being adopted waits for it; and the session's end waits, so the client's exit means the items
 * exist. An upload the repository refuses at that last step (its folder's access revoked or a folder of the
 * same name made meanwhile) fails the session's next request with that reason, or is logged if none comes.
 */
final class Adoptions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Adoptions.class);

    /** Adoptions at once per session: enough to overlap fsyncs with the transactions of others. */
    static final int PARALLEL = 4;
    /** Closed uploads a session may have waiting before its next close waits too, bounding memory and lag. */
    static final int MAX_WAITING = 64;

    /** Storing one closed upload: adopting its file as an item, then finishing its partial. */
    interface Work {
        void run() throws IOException;
    }

    /** The server's: stopping the server waits for what runs there. */
    private final Executor threads;
    private final Set<String> pending = new HashSet<>();
    private final List<IOException> failures = new ArrayList<>();
    private int running;

    Adoptions(Executor threads) {
        this.threads = threads;
    }

    /**
     * Hands a closed upload over; returns at once unless {@link #MAX_WAITING} are waiting already. The caller
     * must not submit a key that is pending ({@link #awaitKey}).
     */
    void submit(String key, Work work) throws IOException {
        synchronized (this) {
            while (pending.size() >= MAX_WAITING) {
                waitForChange();
            }
            pending.add(key);
        }
        try {
            threads.execute(() -> adopt(key, work));
        } catch (RejectedExecutionException e) {
            // The server is stopping: this upload is refused now, at its close, instead of waited for forever.
            done(key, false);
            throw new IOException("the server is stopping; the upload was not stored", e);
        }
    }

    private void adopt(String key, Work work) {
        boolean started = false;
        try {
            startWhenAllowed();
            started = true;
            work.run();
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("the upload could not be stored", e));
        } finally {
            done(key, started);
        }
    }

    /** Waits until every upload handed over so far is adopted; throws the first refusal not reported yet. */
    void settle() throws IOException {
        synchronized (this) {
            while (!pending.isEmpty()) {
                waitForChange();
            }
            if (!failures.isEmpty()) {
                IOException first = failures.remove(0);
                failures.forEach(first::addSuppressed);
                failures.clear();
                throw first;
            }
        }
    }

    /** Waits while an upload of {@code key} is being adopted, so a new upload of that name comes after it. */
    void awaitKey(String key) throws IOException {
        synchronized (this) {
            while (pending.contains(key)) {
                waitForChange();
            }
        }
    }

    /**
     * The session ends: waits for its uploads, even when MINA interrupts the session's thread as it closes (an
     * adoption is never interrupted: a transaction cut short would hold its locks). A refusal nobody can be told
     * of any more is logged, by its reason only: the file name may be PHI.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (this) {
            while (!pending.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            for (IOException e : failures) {
                LOG.warn("an upload closed at the end of an SFTP session was not stored: {}", e.getClass().getSimpleName());
            }
            failures.clear();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void startWhenAllowed() throws IOException {
        while (running >= PARALLEL) {
            waitForChange();
        }
        running++;
    }

    private synchronized void fail(IOException e) {
        failures.add(e);
    }

    private synchronized void done(String key, boolean started) {
        pending.remove(key);
        if (started) {
            running--;
        }
        notifyAll();
    }

    private void waitForChange() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while uploads were being stored");
        }
    }
}
