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

    private record Waiting(Caller caller, Ingest.Admitted put, CompletableFuture<ItemStore.PutResult> result) {
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
        Waiting mine = new Waiting(caller, admitted, new CompletableFuture<>());
        queue.add(mine);
        // Whoever holds the lock writes what is queued, this put included unless it came too late for that batch;
        // then the next holder (perhaps this thread) takes it.
        while (!mine.result().isDone()) {
            writing.lock();
            try {
                if (!mine.result().isDone()) {
                    writeQueued();
                }
            } finally {
                writing.unlock();
            }
        }
        try {
            return mine.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void writeQueued() {
        List<Waiting> batch = new ArrayList<>();
        for (Waiting w; batch.size() < MAX_BATCH && (w = queue.poll()) != null; ) {
            batch.add(w);
        }
        Map<Caller, List<Waiting>> byCaller = new LinkedHashMap<>();
        for (Waiting w : batch) {
            byCaller.computeIfAbsent(w.caller(), c -> new ArrayList<>()).add(w);
        }
        for (Map.Entry<Caller, List<Waiting>> one : byCaller.entrySet()) {
            List<Waiting> waiting = one.getValue();
            try {
                List<ItemStore.PutResult> results = items.putAdmitted(one.getKey(), waiting.stream().map(Waiting::put).toList());
                for (int i = 0; i < waiting.size(); i++) {
                    waiting.get(i).result().complete(results.get(i));
                }
            } catch (RuntimeException e) {
                waiting.forEach(w -> w.result().completeExceptionally(e));
            }
        }
    }
}
