package org.arca.ai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.arca.ai.worker.WorkerReport;

/**
 * One job's worker process from its start to its end, as {@link WorkerLauncher} started it: its folder; its
 * standard input, where the frames go; the frames it reports done ({@link WorkerReport.Progress} lines), whose
 * results are then complete in its {@code output.bin}; its log; and how it ended. Its wall time counts from when
 * the job took it (its start, unless it was a spare started ahead); past it the process is killed. {@link #next}
 * and {@link #finish} are for the job's thread; {@link #input} for the one feeding it, {@link #kill} for any.
 */
final class RunningWorker {
    private static final int LOG_LIMIT = 8000;
    private static final int ENDED = -1;

    private final Process process;
    private final Path dir;
    private final long begin;
    private final long spareAgeMillis;
    private final long deadline;
    private final StringBuilder log = new StringBuilder();
    /** Worker start, graph load, inference, tensors in, results out (ms), as the worker reports them. */
    private final long[] times = {-1, 0, 0, 0, 0};
    private final BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
    private final Thread stdout;
    private final Thread stderr;
    private volatile boolean ended;

    /**
     * {@code startedNanos}: when the process was started; {@code beginNanos}: when its job took it, the same unless it
     * was a spare started ahead.
     */
    RunningWorker(Process process, Path dir, long startedNanos, long beginNanos, Duration wall,
                  BiConsumer<Integer, Integer> progress) {
        this.process = process;
        this.dir = dir;
        this.spareAgeMillis = beginNanos > startedNanos ? (beginNanos - startedNanos) / 1_000_000 : -1;
        this.begin = beginNanos;
        this.deadline = beginNanos + wall.toNanos();
        this.stdout = Thread.ofVirtual().start(() -> readStdout(progress));
        this.stderr = Thread.ofVirtual().start(this::readStderr);
    }

    /** The worker's folder, the only one it sees: the job's request, graph and results go there. */
    Path dir() {
        return dir;
    }

    /** How long the process had been started when its job took it, if it was a spare started ahead; else -1. */
    long spareAgeMillis() {
        return spareAgeMillis;
    }

    /**
     * Tells the worker its graph is in place and checked ({@link org.arca.ai.worker.WorkerMain#GRAPH_READY}): it
     * waits for that before it loads anything. A worker that ended already learns nothing; its outcome says why.
     */
    void graphReady() {
        try {
            process.getOutputStream().write(org.arca.ai.worker.WorkerMain.GRAPH_READY);
            process.getOutputStream().flush();
        } catch (IOException e) {
            // The worker ended: the frames will not go either, and finish() says how it ended.
        }
    }

    /** The worker's standard input, after {@link #graphReady}: the frames, as a {@link org.arca.ai.worker.TensorFile} stream. */
    OutputStream input() {
        return process.getOutputStream();
    }

    /**
     * Waits for the worker's next report of frames done and returns how many are done; empty once the worker ended
     * (its output closed) or its wall time is up.
     */
    OptionalInt next() throws InterruptedException {
        if (ended) {
            return OptionalInt.empty();
        }
        Integer count = done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (count == null || count == ENDED) {
            ended = true;
            return OptionalInt.empty();
        }
        return OptionalInt.of(count);
    }

    /** Waits for the worker's end, within its wall time, killing it past that; then says how it ended. */
    WorkerLauncher.Outcome finish() throws InterruptedException {
        boolean finished = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!finished) {
            kill();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        stdout.join(5000);
        stderr.join(5000);
        synchronized (log) {
            return new WorkerLauncher.Outcome(finished ? process.exitValue() : -1, !finished, log.toString(), times[0],
                    times[1], times[2], times[3], times[4]);
        }
    }

    /** Kills the worker and what it started, if still running. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void readStdout(BiConsumer<Integer, Integer> progress) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                WorkerReport report = WorkerReport.parse(line).orElse(null);
                try {
                    synchronized (log) {
                        switch (report) {
                            case WorkerReport.Took took -> took(took);
                            case WorkerReport.Progress p -> {
                                done.add(p.done());
                                progress.accept(p.done(), p.total());
                            }
                            case WorkerReport.Done d -> append(line);
                            case null -> append(line);
                        }
                    }
                } catch (RuntimeException e) {
                    append(line);
                }
            }
        } catch (IOException e) {
            append("worker output lost: " + e.getMessage());
        } finally {
            done.add(ENDED);
        }
    }

    private void took(WorkerReport.Took took) {
        switch (took.step()) {
            case LOADED -> {
                times[1] = took.millis();
                times[0] = (System.nanoTime() - begin) / 1_000_000 - times[1];
            }
            case INFERENCE -> times[2] = took.millis();
            case INPUT -> times[3] = took.millis();
            case OUTPUT -> times[4] = took.millis();
        }
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                append(line);
            }
        } catch (IOException e) {
            append("worker errors lost: " + e.getMessage());
        }
    }

    /** Keeps the end of the log: the last lines say why a worker failed. */
    private void append(String line) {
        synchronized (log) {
            log.append(line).append('\n');
            if (log.length() > LOG_LIMIT) {
                log.delete(0, log.length() - LOG_LIMIT);
            }
        }
    }
}
