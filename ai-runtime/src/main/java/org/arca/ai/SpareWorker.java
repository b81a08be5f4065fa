package org.arca.ai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each job its worker process, and keeps one worker started ahead, in idle time, for the next job: that job
 * then does not wait for a JVM to boot and for ONNX Runtime's native library to load (0.3 to 0.5 s of a job
 * here, about 5 % of a 100-frame run of the reference model).
 *
 * <p>A spare changes nothing of the isolation: it is an ordinary worker, started the same way in a folder of its
 * own that holds nothing of any job (the class archive and native libraries, copies), waiting for its graph.
 * One job takes it and it ends with that job, so no process ever sees two jobs. Its wall time starts when the job
 * takes it, with that job's limit. Its heap, processor and memory limits are fixed when the JVM starts, so a spare
 * is started with the limits of the last job and only a job with the same ones takes it (most often the same
 * model again); any other job gets a worker of its own, as without a spare, and the mismatched spare is stopped.
 *
 * <p>A server that never ran a model never holds one ({@link #replenish} does nothing before a first job, here
 * or, {@link #expect told} at start, in an earlier run on the same database). A
 * spare that dies while it waits is started again at most {@link #DEATHS_TOLERATED} times in a run: a machine
 * where workers cannot start must not start one every poll. Thread-safe.
 */
final class SpareWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpareWorker.class);
    static final int DEATHS_TOLERATED = 3;

    private final WorkerLauncher launcher;
    private final Path workDir;
    private final boolean enabled;
    private WorkerLauncher.Started spare;
    private WorkerLauncher.Limits lastLimits;
    private int deaths;
    private boolean closed;

    /** {@code workDir}: where each worker's folder is made; {@code enabled} false: every job starts its own worker. */
    SpareWorker(WorkerLauncher launcher, Path workDir, boolean enabled) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.enabled = enabled;
    }

    /** A job's worker, in a folder of its own: the spare if it was started with {@code limits}, else a new one. */
    RunningWorker take(WorkerLauncher.Limits limits, Consumer<Process> started, BiConsumer<Integer, Integer> progress)
            throws IOException {
        WorkerLauncher.Started waiting;
        synchronized (this) {
            waiting = spare;
            spare = null;
            lastLimits = limits;
        }
        if (waiting != null && waiting.limits().startedAlike(limits) && waiting.process().isAlive()) {
            return launcher.attach(waiting, limits.wall(), started, progress);
        }
        if (waiting != null) {
            discard(waiting);
        }
        Path dir = newFolder();
        try {
            return launcher.start(dir, limits, started, progress);
        } catch (IOException | RuntimeException e) {
            WorkFolders.delete(dir);
            throw e;
        }
    }

    /**
     * Says what the next job will likely need before any job ran in this process: the limits of the last job a
     * previous run of the server ran, so a restarted server keeps a spare too. A job that ran here wins.
     */
    synchronized void expect(WorkerLauncher.Limits limits) {
        if (lastLimits == null) {
            lastLimits = limits;
        }
    }

    /**
     * In idle time, after a first job (or {@link #expect}): starts a spare with the last job's limits unless one is waiting already.
     * Returns at once; the spare boots in the background.
     */
    void replenish() {
        WorkerLauncher.Started dead = null;
        synchronized (this) {
            if (!enabled || closed || lastLimits == null || deaths >= DEATHS_TOLERATED) {
                return;
            }
            if (spare != null && spare.process().isAlive()) {
                return;
            }
            if (spare != null) {
                dead = spare;
                spare = null;
                if (++deaths == DEATHS_TOLERATED) {
                    LOG.warn("AI spare workers stopped: {} of them ended while waiting for a job (exit status {});"
                            + " each job starts its own worker", deaths, dead.process().exitValue());
                }
            }
            if (deaths < DEATHS_TOLERATED) {
                Path dir = null;
                try {
                    dir = newFolder();
                    spare = launcher.launch(dir, lastLimits);
                } catch (IOException | RuntimeException e) {
                    WorkFolders.delete(dir);
                    deaths = DEATHS_TOLERATED;
                    LOG.warn("AI spare workers stopped: one could not start ({}); each job starts its own worker",
                            e.getClass().getSimpleName());
                }
            }
        }
        if (dead != null) {
            discard(dead);
        }
    }

    /** The spare's process while one waits (started, perhaps still booting). */
    synchronized java.util.Optional<Process> waiting() {
        return spare != null && spare.process().isAlive() ? java.util.Optional.of(spare.process()) : java.util.Optional.empty();
    }

    /** Stops the spare, if any; none is started after. */
    @Override
    public void close() {
        WorkerLauncher.Started waiting;
        synchronized (this) {
            closed = true;
            waiting = spare;
            spare = null;
        }
        if (waiting != null) {
            discard(waiting);
        }
    }

    private Path newFolder() throws IOException {
        return Files.createDirectories(workDir.resolve("worker-" + UUID.randomUUID()));
    }

    private static void discard(WorkerLauncher.Started worker) {
        Process p = worker.process();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WorkFolders.delete(worker.dir());
    }
}
