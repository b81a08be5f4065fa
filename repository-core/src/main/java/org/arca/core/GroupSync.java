package org.arca.core;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes commits durable in groups: a caller whose commit has returned waits in {@link #awaitDurable} until one
 * sync that started after its commit has finished. While one sync runs, every commit that arrives meanwhile
 * waits for the next, which then covers all of them at the cost of one. Concurrent requests thereby share the
 * disk's flush instead of queueing one flush each, while a lone caller never waits for company: its sync starts
 * at once. Thread-safe; safe on virtual threads (no monitor is held while waiting).
 */
final class GroupSync {

    /** One flush of everything committed so far to stable storage. */
    @FunctionalInterface
    interface Flush {
        void run() throws Exception;
    }

    private final Flush flush;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Commits that asked for durability so far; each caller's number is its place in that order. */
    private long requested;
    /** Every commit numbered up to this one is durable. */
    private long durable;
    private boolean flushing;
    private long flushes;

    GroupSync(Flush flush) {
        this.flush = flush;
    }

    /**
     * Returns once everything committed before this call is on stable storage. Throws when the flush failed,
     * so the caller does not acknowledge what may not be durable.
     */
    void awaitDurable() {
        lock.lock();
        try {
            long mine = ++requested;
            while (durable < mine) {
                if (flushing) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                long covered = requested;
                lock.unlock();
                boolean flushed = false;
                try {
                    flush.run();
                    flushed = true;
                } catch (Exception e) {
                    throw new IllegalStateException("the database could not make a commit durable", e);
                } finally {
                    lock.lock();
                    if (flushed) {
                        durable = Math.max(durable, covered);
                    }
                    flushing = false;
                    flushes++;
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes run so far: each covers one or more commits, so commits over flushes is the grouping achieved. */
    long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    long commits() {
        lock.lock();
        try {
            return requested;
        } finally {
            lock.unlock();
        }
    }
}
