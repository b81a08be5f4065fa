package org.arca.ai;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a job's CPU-bound steps (decoding and rendering frames, drawing and encoding overlays) on every processor
 * while handing their results on in the order of the tasks, one at a time, with at most two results per thread
 * waiting: the output stays in series order and memory stays bounded however long the series. The first failure
 * stops the rest and is thrown as it was (an {@link IOException} or a runtime exception such as a clear
 * {@link org.arca.core.ArcaException}), once the tasks already running have ended.
 */
final class InOrder {
    private InOrder() {
    }

    /** A step that makes one result. */
    interface Task<T> {
        T call() throws Exception;
    }

    /** What receives the results, in task order, on the calling thread. */
    interface Sink<T> {
        void accept(T result) throws IOException;
    }

    static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static <T> void run(List<? extends Task<T>> tasks, Sink<T> sink) throws IOException {
        int threads = Math.min(threads(), Math.max(1, tasks.size()));
        int window = threads * 2;
        ArrayDeque<Future<T>> pending = new ArrayDeque<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("arca-ai-step-", 0).factory());
        try {
            int next = 0;
            while (next < tasks.size() || !pending.isEmpty()) {
                while (next < tasks.size() && pending.size() < window) {
                    pending.add(pool.submit(tasks.get(next++)::call));
                }
                sink.accept(await(pending.poll(), "preparing"));
            }
        } finally {
            pending.forEach(f -> f.cancel(true));
            pool.shutdownNow();
            // Tasks that were running finish before this returns, so a caller cleaning up after a failure sees all
            // they did.
            try {
                pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The task's result, or what it threw as it was thrown (an unchecked exception or error unchanged, anything
     * else as an {@link IOException}); {@code doing} names the work in the message of an interruption.
     */
    static <T> T await(Future<T> future, String doing) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
