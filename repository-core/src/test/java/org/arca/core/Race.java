package org.arca.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs callers at once: each waits on one start latch, so they reach the repository together. Every outcome is
 * a value or the {@link ArcaException} it ended with; anything else fails the race (a 500 on a real surface).
 */
public final class Race {

    /** What one runner got: its value, or the refusal it got. */
    public record Outcome<T>(T value, ArcaException refusal) {
        public boolean succeeded() {
            return refusal == null;
        }
    }

    private Race() {
    }

    @SafeVarargs
    public static <T> List<Outcome<T>> run(Callable<T>... runners) throws InterruptedException {
        return run(List.of(runners));
    }

    public static <T> List<Outcome<T>> run(List<Callable<T>> runners) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome<T>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(runners.size())) {
            for (Callable<T> runner : runners) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return new Outcome<>(runner.call(), null);
                    } catch (ArcaException e) {
                        return new Outcome<>(null, e);
                    }
                }));
            }
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                try {
                    outcomes.add(future.get());
                } catch (ExecutionException e) {
                    throw new AssertionError("a runner failed unexpectedly", e.getCause());
                }
            }
            return outcomes;
        }
    }
}
