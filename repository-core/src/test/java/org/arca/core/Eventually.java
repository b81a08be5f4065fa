package org.arca.core;

import java.time.Duration;

/**
 * Waits for something another thread or process does: polls a probe until it gives an answer, and fails saying
 * what it waited for when none comes in time. Never a way to let time pass: code that reads the time takes a
 * {@link java.time.Clock} that tests move (see {@link ManualClock}).
 */
public final class Eventually {
    /** Long enough for a worker JVM to start on a loaded machine; a test that waits this long has failed. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long LONGEST_PAUSE_MILLIS = 200;

    /** Asks for an answer; {@code null} or {@code false} means not yet. */
    @FunctionalInterface
    public interface Probe<T> {
        T poll() throws Exception;
    }

    private Eventually() {
    }

    /** The probe's first answer within {@link #TIMEOUT}. */
    public static <T> T until(String what, Probe<T> probe) {
        return until(what, TIMEOUT, probe);
    }

    /** The probe's first answer within {@code timeout}; any exception of the probe fails at once. */
    public static <T> T until(String what, Duration timeout, Probe<T> probe) {
        return until(what, timeout, null, probe);
    }

    /**
     * The probe's first answer within {@code timeout}, asking again when it throws {@code passing} (a state the
     * other side goes through, such as a page re-drawing its elements); the last such exception is the cause of
     * the failure.
     */
    public static <T> T until(String what, Duration timeout, Class<? extends Exception> passing, Probe<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        Exception last = null;
        while (true) {
            try {
                T answer = probe.poll();
                if (answer != null && !Boolean.FALSE.equals(answer)) {
                    return answer;
                }
            } catch (Exception e) {
                if (passing == null || !passing.isInstance(e)) {
                    throw new AssertionError("failed while waiting for " + what, e);
                }
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + timeout + " waiting for " + what, last);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
