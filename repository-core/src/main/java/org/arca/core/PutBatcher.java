package org.arca.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.arca.core.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores uploads that arrive on many threads at once in shared transactions: each thread hands its
 * {@link ItemStore.Put} in, and whichever thread finds no batch being written writes all that are waiting
 * (one {@link ItemStore#putAdmitted} per caller: one transaction, one access check per folder, one audit-chain step and
 * one durable sync for the lot) while the others wait for their result. One request alone pays what it paid
 * before; concurrent ones (STOW-RS clients storing an instance per request) share the fixed cost per commit
 * instead of queueing for it. Each put is still decided on its own and acknowledged only once durable.
 */
public final class PutBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PutBatcher.class);

    /** Most puts in one transaction: bounds how long the first of a batch waits for the rest. */
    private static final int MAX_BATCH = 64;

    /** One upload waiting for its batch; {@code taken} once a writer holds it, which then owes it a result. */
    private static final class Waiting {
        final Caller caller;
        final Ingest.Admitted put;
        final CompletableFuture<ItemStore.PutResult> result = new CompletableFuture<>();
        volatile boolean taken;

        Waiting(Caller caller, Ingest.Admitted put) {
            this.caller = caller;
            this.put = put;
        }
    }

    /** What one batch's writer tells its uploads once the batch is durable (a result, or the failure). */
    private record Outcome(Waiting waiting, ItemStore.PutResult result, RuntimeException failure) {
        void tell() {
            if (failure != null) {
                waiting.result.completeExceptionally(failure);
            } else {
                waiting.result.complete(result);
            }
        }
    }

    private final ItemStore items;
    private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    public PutBatcher(ItemStore items) {
        this.items = items;
    }

    /** Stores one upload as {@link ItemStore#putAll} would, sharing the transaction with concurrent ones. */
    public ItemStore.PutResult put(Caller caller, ItemStore.Put put) {
        return put(caller, put, Facts.none());
    }

    /**
     * As {@link #put(Caller, ItemStore.Put)}, with what the surface learnt of the bytes already. The ingest steps run
     * here, on the upload's own thread, so that concurrent uploads' steps run side by side and only the rows wait.
     */
    public ItemStore.PutResult put(Caller caller, ItemStore.Put put, Facts known) {
        return putAll(caller, List.of(new Known(put, known))).get(0);
    }

    /** One upload of {@link #putAll} with what the surface learnt of its bytes already. */
    public record Known(ItemStore.Put put, Facts facts) {
    }

    /**
     * Stores one request's uploads (a STOW-RS request's instances), each decided on its own as by {@link #put}, and
     * returns once all of them are durable: they join the queue together, so they share transactions and syncs with
     * each other and with concurrent requests instead of waiting for a sync each. Results are in the order given.
     */
    public List<ItemStore.PutResult> putAll(Caller caller, List<Known> uploads) {
        ItemStore.PutResult[] results = new ItemStore.PutResult[uploads.size()];
        List<Waiting> mine = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            try {
                mine.add(new Waiting(caller, items.admit(caller, uploads.get(i).put(), uploads.get(i).facts())));
                positions.add(i);
            } catch (ArcaException refused) {
                results[i] = new ItemStore.PutResult(null, refused);
            }
        }
        queue.addAll(mine);
        for (Waiting waiting : mine) {
            writeUntilTaken(waiting);
        }
        for (int k = 0; k < mine.size(); k++) {
            results[positions.get(k)] = resultOf(mine.get(k));
        }
        return List.of(results);
    }

    /**
     * Whoever holds the lock writes what is queued, this upload included unless it came too late for that batch;
     * then the next holder (perhaps this thread) takes it. The lock covers the writing only: while one batch waits
     * for its sync, the next is written, and the group sync covers it with the following flush.
     */
    private void writeUntilTaken(Waiting mine) {
        while (!mine.taken) {
            List<Outcome> outcomes = new ArrayList<>();
            List<ItemListener.ItemEvent> events = new ArrayList<>();
            try {
                items.durably(() -> {
                    writing.lock();
                    try {
                        if (!mine.taken) {
                            outcomes.addAll(writeQueued(events));
                        }
                    } finally {
                        writing.unlock();
                    }
                    // The listeners (the DICOM index, the extraction queue) work beside the next batch's writing. What
                    // they fail at is logged and undoes nothing: the batch is committed, and still waits to be durable.
                    try {
                        items.announce(events);
                    } catch (RuntimeException e) {
                        LOG.warn("telling of {} stored upload(s) failed: {}", events.size(), e.getClass().getName());
                    }
                    return null;
                });
            } catch (RuntimeException syncFailed) {
                // Written but not known to be durable: none of the batch may be acknowledged.
                outcomes.replaceAll(o -> new Outcome(o.waiting(), null, syncFailed));
            }
            outcomes.forEach(Outcome::tell);
        }
    }

    /**
     * An upload's result; a fault (the database gone, a sync that failed) becomes this upload's refusal, so that one
     * request's other uploads keep their own results. The fault itself is logged by class only: its text may quote
     * values.
     */
    private static ItemStore.PutResult resultOf(Waiting waiting) {
        try {
            return waiting.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notStored(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArcaException refused) {
                return new ItemStore.PutResult(null, refused);
            }
            return notStored(e.getCause());
        }
    }

    private static ItemStore.PutResult notStored(Throwable fault) {
        LOG.warn("an upload could not be stored: {}", fault.getClass().getName());
        return new ItemStore.PutResult(null, new ArcaException(ArcaException.Kind.UNAVAILABLE, "not_stored",
                "The upload could not be stored; nothing of it was kept. Try again.", fault));
    }

    /**
     * Writes the queued uploads, one transaction per caller as {@link ItemStore#putAdmitted} would, and returns what
     * each is to be told; {@code events} gets what the listeners are to hear.
     */
    private List<Outcome> writeQueued(List<ItemListener.ItemEvent> events) {
        List<Waiting> batch = new ArrayList<>();
        for (Waiting w; batch.size() < MAX_BATCH && (w = queue.poll()) != null; ) {
            w.taken = true;
            batch.add(w);
        }
        Map<Caller, List<Waiting>> byCaller = new LinkedHashMap<>();
        for (Waiting w : batch) {
            byCaller.computeIfAbsent(w.caller, c -> new ArrayList<>()).add(w);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<Caller, List<Waiting>> one : byCaller.entrySet()) {
            List<Waiting> waiting = one.getValue();
            try {
                ItemStore.Committed committed = items.writeAdmitted(one.getKey(), waiting.stream().map(w -> w.put).toList());
                List<ItemStore.PutResult> results = committed.results();
                events.addAll(committed.events());
                for (int i = 0; i < waiting.size(); i++) {
                    outcomes.add(new Outcome(waiting.get(i), results.get(i), null));
                }
            } catch (RuntimeException e) {
                waiting.forEach(w -> outcomes.add(new Outcome(w, null, e)));
            }
        }
        return outcomes;
    }
}
