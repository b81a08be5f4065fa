package org.arca.sftp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads one SFTP session closed complete, made items in the background. A client sends its files one
 * after another and waits for each close; OpenSSH's {@code sftp-server} answers a close once the bytes are
 * written, and so does Arca, while making the file durable and recording it overlaps the next file's transfer.
 * That overlap is most of what an upload of many small files costs.
 *
 * <p>Storing an upload has two steps. Its bytes are made durable on their own (an fsync each, a few at once, so
 * the disk's waits overlap); then the uploads made durable meanwhile are recorded together ({@link Recorder}:
 * one transaction for many files), since a transaction, an access check and an audit-head update per file
 * would cost more than a small file does. A recording waits briefly for more to gather ({@link #LINGER_NANOS}),
 * unless the session waits for it.
 *
 * <p>What a user sees stays as it was: every other request of the session waits first for its uploads
 * ({@link #settle}), so a listing, a stat or a download right after a put finds the item; a new upload of a
 * name still being adopted waits for it; and the session's end waits, so the client's exit means the items
 * exist. An upload the repository refuses at that last step (its folder's access revoked or a folder of the
 * same name made meanwhile) fails the session's next request with that reason, or is logged if none comes.
 */
final class Adoptions<U extends Adoptions.Upload> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Adoptions.class);

    /** Uploads made durable at once per session: enough to overlap one's fsync with the others' work. */
    static final int PARALLEL = 4;
    /** Closed uploads a session may have waiting before its next close waits too, bounding memory and lag. */
    static final int MAX_WAITING = 64;
    /** Prepared uploads that are recorded at once without waiting for more. */
    static final int BATCH = 32;
    /**
     * How long a recording waits for more uploads to gather when nobody waits for it. A client goes on with its
     * next file as soon as a close is answered, so this delays no one; it turns a transaction per file into
     * one per batch, where most of a small file's cost is.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A closed upload's first step, run on its own: making its bytes durable. Throwing refuses the upload. */
    @FunctionalInterface
    interface Upload {
        void prepare() throws IOException;
    }

    /** The second step, for all uploads prepared meanwhile at once: recording them. */
    @FunctionalInterface
    interface Recorder<U> {
        /** Each upload's refusal, or null when it was stored, in the order given; throwing refuses them all. */
        List<IOException> record(List<U> uploads) throws IOException;
    }

    private record Prepared<U>(String key, U upload) {
    }

    /** The server's: stopping the server waits for what runs there. */
    private final Executor threads;
    private final Recorder<U> recorder;
    private final Set<String> pending = new HashSet<>();
    private final List<IOException> failures = new ArrayList<>();
    /** Prepared uploads no recording has taken yet. */
    private final List<Prepared<U>> prepared = new ArrayList<>();
    private int preparing;
    /** Whether a thread is recording: one at a time, so what is prepared meanwhile gathers into its next batch. */
    private boolean recording;
    /** Threads of the session waiting for its uploads to be stored: then a recording lingers no more. */
    private int waiters;

    Adoptions(Executor threads, Recorder<U> recorder) {
        this.threads = threads;
        this.recorder = recorder;
    }

    /**
     * Hands a closed upload over; returns at once unless {@link #MAX_WAITING} are waiting already. The caller
     * must not submit a key that is pending ({@link #awaitKey}).
     */
    void submit(String key, U upload) throws IOException {
        synchronized (this) {
            while (pending.size() >= MAX_WAITING) {
                waitAsSession();
            }
            pending.add(key);
        }
        try {
            threads.execute(() -> adopt(key, upload));
        } catch (RejectedExecutionException e) {
            // The server is stopping: this upload is refused now, at its close, instead of waited for forever.
            synchronized (this) {
                pending.remove(key);
                notifyAll();
            }
            throw new IOException("the server is stopping; the upload was not stored", e);
        }
    }

    private void adopt(String key, U upload) {
        boolean started = false;
        try {
            startWhenAllowed();
            started = true;
            upload.prepare();
        } catch (IOException e) {
            refused(key, started, e);
            return;
        } catch (RuntimeException e) {
            refused(key, started, new IOException("the upload could not be stored", e));
            return;
        }
        synchronized (this) {
            preparing--;
            prepared.add(new Prepared<>(key, upload));
            notifyAll();
            if (recording) {
                return; // the thread recording now takes it next
            }
            recording = true;
        }
        recordWhatIsPrepared();
    }

    /** Records batches until nothing prepared is left; only one thread of the session does this at a time. */
    private void recordWhatIsPrepared() {
        while (true) {
            List<Prepared<U>> batch;
            synchronized (this) {
                lingerForMore();
                if (prepared.isEmpty()) {
                    recording = false;
                    return;
                }
                batch = List.copyOf(prepared);
                prepared.clear();
            }
            List<IOException> refusals;
            try {
                refusals = recorder.record(batch.stream().map(Prepared::upload).toList());
            } catch (IOException e) {
                refusals = java.util.Collections.nCopies(batch.size(), e);
            } catch (RuntimeException e) {
                refusals = java.util.Collections.nCopies(batch.size(), new IOException("the upload could not be stored", e));
            }
            synchronized (this) {
                for (int i = 0; i < batch.size(); i++) {
                    if (refusals.get(i) != null) {
                        failures.add(refusals.get(i));
                    }
                    pending.remove(batch.get(i).key());
                }
                notifyAll();
            }
        }
    }

    /**
     * Waits, for at most {@link #LINGER_NANOS}, while fewer than a {@link #BATCH} are prepared and no thread of
     * the session waits for them (the client's next file may be on its way). Never cut short by an interrupt:
     * it is short, and a recording owes its uploads an answer.
     */
    private void lingerForMore() {
        long deadline = System.nanoTime() + LINGER_NANOS;
        boolean interrupted = false;
        while (prepared.size() < BATCH && waiters == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Uploads prepared and waiting for the recording under way to end: for tests. */
    synchronized int waitingToBeRecorded() {
        return prepared.size();
    }

    /** Waits until every upload handed over so far is adopted; throws the first refusal not reported yet. */
    void settle() throws IOException {
        synchronized (this) {
            while (!pending.isEmpty()) {
                waitAsSession();
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
                waitAsSession();
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
            waiters++;
            notifyAll();
            while (!pending.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            waiters--;
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
        while (preparing >= PARALLEL) {
            waitForChange();
        }
        preparing++;
    }

    private synchronized void refused(String key, boolean started, IOException e) {
        failures.add(e);
        pending.remove(key);
        if (started) {
            preparing--;
        }
        notifyAll();
    }

    /** Waits as a thread of the session, for which a recording does not linger. */
    private void waitAsSession() throws IOException {
        waiters++;
        notifyAll();
        try {
            waitForChange();
        } finally {
            waiters--;
        }
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
