package org.arca.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stores uploads that arrive on many threads at once in shared transactions: each thread hands its
 * {@link ItemStore.Put} in, and whichever thread finds no batch being written writes all that are waiting
 * (one {@link ItemStore#putAdmitted} per caller: one transaction, one access check per folder, one audit-chain step and
 * one durable sync for the lot) while the others wait for their result. One request alone pays what it paid
 * before; concurrent ones (STOW-RS clients storing an instance per request) share the fixed cost per commit
 * instead of queueing for it. Each put is still decided on its own and acknowledged only once durable.
 */
public final class PutBatcher {
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
        Ingest.Admitted admitted;
        try {
            admitted = items.admit(caller, put, known);
        } catch (ArcaException refused) {
            return new ItemStore.PutResult(null, refused);
        }
        Waiting mine = new Waiting(caller, admitted);
        queue.add(mine);
        // Whoever holds the lock writes what is queued, this put included unless it came too late for that batch;
        // then the next holder (perhaps this thread) takes it. The lock covers the writing only: while one batch
        // waits for its sync, the next is written, and the group sync covers it with the following flush.
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
                    // The listeners (the DICOM index, the extraction queue) work beside the next batch's writing.
                    items.announce(events);
                    return null;
                });
            } catch (RuntimeException syncFailed) {
                // Written but not known to be durable: none of the batch may be acknowledged.
                outcomes.replaceAll(o -> new Outcome(o.waiting(), null, syncFailed));
            }
            outcomes.forEach(Outcome::tell);
        }
        try {
            return mine.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
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
