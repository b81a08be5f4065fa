package org.arca.sftp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arca.core.ArcaException;
import org.arca.core.Caller;
import org.arca.core.Facts;
import org.arca.core.Ingest;
import org.arca.core.Item;
import org.arca.core.ItemStore;

/**
 * Records closed uploads as items, and returns only once each one's transaction committed: an SFTP close is an
 * acknowledgement. Closes of one caller that arrive while a recording of theirs runs (the parallel transfers of
 * FileZilla, WinSCP or rclone, each on a channel of its own) are recorded together next, in one transaction
 * ({@link ItemStore#putAll}), since a transaction and an audit-head update per file cost more than a small file
 * does. A close that finds no recording running is recorded at once: nobody waits for company. Thread-safe;
 * one per server.
 */
final class ItemRecorder {

    private final ItemStore items;
    /** Per caller: their batches are one transaction each, and other callers' run beside them. */
    private final Map<Caller, Group> groups = new ConcurrentHashMap<>();

    ItemRecorder(ItemStore items) {
        this.items = items;
    }

    /** One close waiting for its item: the put, and once recorded, its result. */
    private static final class Waiting {
        final Ingest.Admitted put;
        ItemStore.PutResult result;
        RuntimeException failure;

        Waiting(Ingest.Admitted put) {
            this.put = put;
        }

        boolean done() {
            return result != null || failure != null;
        }
    }

    /** One caller's closes waiting for a recording, and whether one runs. */
    private static final class Group {
        final List<Waiting> waiting = new ArrayList<>();
        boolean recording;
    }

    /**
     * Stores the upload as {@link ItemStore#putAll} would, alone or with others of the same caller; returns the
     * item once committed. Throws the refusal ({@link ArcaException}) or fault of this upload.
     */
    Item record(Caller caller, ItemStore.Put put) {
        // The ingest steps run on this close's own thread: only the rows wait for company.
        Ingest.Admitted admitted = items.admit(caller, put, Facts.none());
        Group group = groups.computeIfAbsent(caller, c -> new Group());
        Waiting mine = new Waiting(admitted);
        List<Waiting> batch;
        boolean interrupted = false;
        synchronized (group) {
            group.waiting.add(mine);
            // Not interruptible: a recording may already hold this put, and owes it an answer.
            while (!mine.done() && group.recording) {
                try {
                    group.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!mine.done()) {
                group.recording = true;
                batch = List.copyOf(group.waiting);
                group.waiting.clear();
            } else {
                batch = List.of();
            }
        }
        if (!batch.isEmpty()) {
            recordBatch(caller, group, batch);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        if (mine.result.refusal() != null) {
            throw mine.result.refusal();
        }
        return mine.result.item();
    }

    private void recordBatch(Caller caller, Group group, List<Waiting> batch) {
        List<ItemStore.PutResult> results = null;
        RuntimeException failure = null;
        try {
            results = items.putAdmitted(caller, batch.stream().map(w -> w.put).toList());
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (group) {
            for (int i = 0; i < batch.size(); i++) {
                if (failure != null) {
                    batch.get(i).failure = failure;
                } else {
                    batch.get(i).result = results.get(i);
                }
            }
            group.recording = false;
            // The first of those who came meanwhile records them next.
            group.notifyAll();
        }
    }
}
