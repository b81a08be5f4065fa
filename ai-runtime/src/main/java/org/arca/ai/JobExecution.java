package org.arca.ai;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.arca.ai.worker.FrameResult;
import org.arca.core.AccessLevel;
import org.arca.core.ArcaException;
import org.arca.core.Caller;
import org.arca.core.Repository;

/**
 * Runs one claimed job to its end: checks again that the model is approved with the same checksum and that the
 * user still may write the output folder, prepares the input, runs the worker, stores the results, and writes
 * the outcome to the job row. Any failure ends the job as failed with a sentence a user can act on.
 */
final class JobExecution {
    private final Repository repo;
    private final ModelRegistry registry;
    private final JobStore store;
    private final InputPreparer preparer;
    private final WorkerLauncher launcher;
    private final SpareWorker workers;
    private final ResultStore results;
    private final AiSettings settings;

    JobExecution(Repository repo, ModelRegistry registry, JobStore store, InputPreparer preparer, WorkerLauncher launcher,
                 SpareWorker workers, ResultStore results, AiSettings settings) {
        this.repo = repo;
        this.registry = registry;
        this.store = store;
        this.preparer = preparer;
        this.launcher = launcher;
        this.workers = workers;
        this.results = results;
        this.settings = settings;
    }

    void run(Job job, Consumer<Process> started) {
        Map<String, Long> timings = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        long begin = System.nanoTime();
        timings.put("queued", Duration.between(job.createdAt(), job.startedAt()).toMillis());
        Path dir = null;
        try {
            Caller caller = repo.authentication().activeCaller(job.userId())
                    .orElseThrow(() -> ArcaException.forbidden("The job's owner is no longer an active user."));
            ModelVersion model = registry.runnable(caller, job.modelName(), job.modelVersion());
            if (!model.approvedSha256().equals(job.modelSha256())) {
                throw ArcaException.conflict("model_changed", "The approved package changed after the job was submitted.");
            }
            repo.access().require(caller, job.outputFolderId(), AccessLevel.WRITE, JobService.OUTPUT_FOLDER);
            WorkerLauncher.Limits limits = limits(model.manifest().resources());
            // The worker's JVM starts (or was started ahead, in idle time) while the graph is extracted and checked,
            // loads the graph while the series is read and decoded here, and infers each frame while the next are
            // prepared and the results of the last are drawn: the job takes about as long as its longest chain, not
            // the sum of its steps.
            RunningWorker worker = workers.take(limits, started,
                    (done, total) -> store.progress(job.id(), 0.95 * done / Math.max(1, total)));
            long workerBegin = System.nanoTime();
            dir = worker.dir();
            if (worker.spareAgeMillis() >= 0) {
                timings.put("spareAge", worker.spareAgeMillis());
            }
            List<Job.Result> stored;
            Feeder feeder = null;
            try {
                writeRequest(dir, model.manifest(), job.parameters());
                Path graph = dir.resolve("graph.part");
                registry.extractGraph(model, graph);
                // Again here, for versions approved before submission checked it: the worker must never see such a
                // graph. It waits for the go below, and finds nothing named model.onnx before the check passed.
                var graphProblem = SelfContainedGraph.problem(graph);
                if (graphProblem.isPresent()) {
                    throw ArcaException.invalid("worker_failed", "The model could not run: " + graphProblem.get().text() + ".");
                }
                Files.move(graph, dir.resolve("model.onnx"), StandardCopyOption.ATOMIC_MOVE);
                worker.graphReady();
                long t = System.nanoTime();
                InputPreparer.Plan plan = preparer.plan(caller, model.manifest().input(), job.studyUid(), job.seriesUid(),
                        (long) limits.heapMb() << 20);
                log.append("prepared ").append(plan.frames().size()).append(" frame(s)\n");
                feeder = new Feeder(plan, new WorkerFeed(dir.resolve("input.bin"), worker.input()), worker, t);
                try (ResultStore.Collector collector = results.collect(caller, job, model, plan, dir)) {
                    String unreadable = receive(worker, dir.resolve("output.bin"), plan.tensors(), collector);
                    WorkerLauncher.Outcome outcome = worker.finish();
                    long workerMillis = millisSince(workerBegin);
                    timings.put("prepare", feeder.await());
                    timings.put("worker", workerMillis);
                    timings.put("workerStart", outcome.startMillis());
                    timings.put("load", outcome.loadMillis());
                    timings.put("inference", outcome.inferenceMillis());
                    timings.put("workerInput", outcome.inputMillis());
                    timings.put("workerOutput", outcome.outputMillis());
                    log.append(outcome.log());
                    if (store.find(job.id()).map(j -> j.status() == JobStatus.CANCELLED).orElse(true)) {
                        return;
                    }
                    feeder.rethrow();
                    if (unreadable != null) {
                        throw ArcaException.invalid("worker_failed", "The model could not run: " + unreadable);
                    }
                    if (outcome.timedOut()) {
                        throw ArcaException.invalid("time_limit", "The model ran past its time limit and was stopped.");
                    }
                    if (!outcome.succeeded() && WorkerLauncher.ranOutOfMemory(outcome.log())) {
                        throw ArcaException.invalid("memory_limit", "The model ran out of memory: a run may use "
                                + limits.memoryMb() + " MB (the manifest's resources.memoryMb, capped by "
                                + "the server's ai-max-memory-mb) and was stopped.");
                    }
                    if (!outcome.succeeded()) {
                        throw ArcaException.invalid("worker_failed", "The model could not run: " + lastLine(outcome));
                    }
                    if (collector.received() != plan.tensors()) {
                        throw ArcaException.invalid("worker_failed", "The worker returned " + collector.received()
                                + " frames for " + plan.tensors() + ".");
                    }
                    t = System.nanoTime();
                    stored = collector.finish(log, timings);
                    timings.put("store", millisSince(t));
                }
            } finally {
                // On every way out (bad input, a failure storing, a cancel): the worker ends, and with it the feed.
                worker.kill();
                if (feeder != null) {
                    feeder.await();
                }
                // The process has ended then, so nothing writes to its folder any more; removed before the job's
                // outcome is written, so a finished job has left nothing in the work folder.
                worker.finish();
                WorkFolders.delete(dir);
            }
            timings.put("total", timings.get("queued") + millisSince(begin));
            boolean finished = false;
            try {
                finished = store.finish(job.id(), JobStatus.SUCCEEDED, null, log.toString(), stored, timings);
            } finally {
                if (!finished) {
                    // Cancelled meanwhile, or the row could not take the outcome: no results without a job that lists them.
                    for (Job.Result r : stored) {
                        repo.items().delete(caller, r.itemId());
                    }
                }
            }
            if (finished) {
                repo.audit().record(caller, "ai.job.run", "job", job.id(), "model=" + model.name() + "@" + model.version()
                        + " sha256=" + model.approvedSha256() + " series=" + job.seriesUid() + " results="
                        + stored.stream().map(Job.Result::itemId).toList());
            }
        } catch (ArcaException e) {
            store.finish(job.id(), JobStatus.FAILED, e.getMessage(), log.toString(), List.of(), timings);
        } catch (IOException | RuntimeException e) {
            store.finish(job.id(), JobStatus.FAILED, "The job failed: " + e.getMessage(), log.toString(), List.of(), timings);
        } catch (InterruptedException e) {
            store.finish(job.id(), JobStatus.FAILED, "Arca stopped while this job ran.", log.toString(), List.of(), timings);
            Thread.currentThread().interrupt();
        } finally {
            WorkFolders.delete(dir);
        }
    }

    /**
     * While no job waits: makes the workers' class archive if there is none yet ({@link WorkerLauncher#warmUp}),
     * with the same {@code started} and {@code preempted} as there, so a job that comes meanwhile can stop it; then
     * has a spare worker started for the next job ({@link SpareWorker#replenish}).
     */
    void whenIdle(Consumer<Process> started, java.util.function.BooleanSupplier preempted) throws InterruptedException {
        Path dir = settings.workDir().resolve("warm-up");
        try {
            launcher.warmUp(dir, started, preempted);
        } finally {
            WorkFolders.delete(dir);
        }
        // After the archive, so the spare starts with it.
        workers.replenish();
    }

    /**
     * At the server's start, when an earlier run ran {@code last}: the spare worker will be started like that job's
     * worker, at the first idle moment. A model no longer known changes nothing.
     */
    void expectLike(Job last) {
        try {
            workers.expect(limits(registry.get(Caller.SYSTEM, last.modelName(), last.modelVersion()).manifest().resources()));
        } catch (ArcaException e) {
            // Gone: the next job's limits decide.
        }
    }

    private WorkerLauncher.Limits limits(ModelManifest.Resources asked) {
        return new WorkerLauncher.Limits(Math.min(asked.heapMb(), settings.maxHeapMb()),
                Math.min(asked.threads(), settings.maxThreads()),
                Duration.ofSeconds(Math.min(asked.wallSeconds(), settings.maxWallSeconds())),
                Math.min(asked.memoryMb(), settings.maxMemoryMb()));
    }

    /** The worker's parameters: the declared output post-processing, with user parameters of the same name winning. */
    private static void writeRequest(Path dir, ModelManifest manifest, Map<String, Object> parameters) throws IOException {
        Properties p = new Properties();
        p.setProperty("threshold", String.valueOf(parameters.getOrDefault("threshold", manifest.output().threshold())));
        p.setProperty("minArea", String.valueOf(((Number) parameters.getOrDefault("minArea", manifest.output().minArea())).intValue()));
        p.setProperty("threads", String.valueOf(manifest.resources().threads()));
        p.setProperty("kind", manifest.output().kind());
        p.setProperty("activation", manifest.output().activation());
        p.setProperty("segmentationType", manifest.output().segmentationType());
        p.setProperty("dimensions", String.valueOf(manifest.input().dimensions()));
        try (OutputStream out = Files.newOutputStream(dir.resolve("request.properties"))) {
            p.store(out, "Arca worker request");
        }
    }

    /**
     * Hands each result to {@code collector} as soon as the worker announces it (complete in {@code file} by then),
     * until the worker ends or its time is up. Returns null, or why the results could not be read, in which case
     * the worker was killed: a worker that writes what it announced cannot get there.
     */
    private static String receive(RunningWorker worker, Path file, int expected, ResultStore.Collector collector)
            throws InterruptedException {
        DataInputStream in = null;
        try {
            for (var done = worker.next(); done.isPresent(); done = worker.next()) {
                if (in == null) {
                    in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
                    int count = in.readInt();
                    if (count != expected) {
                        worker.kill();
                        return "the worker announced " + count + " results for " + expected + " input(s).";
                    }
                }
                while (collector.received() < Math.min(done.getAsInt(), expected)) {
                    collector.accept(FrameResult.read(in));
                }
            }
            return null;
        } catch (IOException e) {
            worker.kill();
            return "its results could not be read (" + e.getMessage() + ").";
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Only read.
                }
            }
        }
    }

    /**
     * Writes a job's prepared frames to its worker on a thread of its own, so the job's thread takes results
     * meanwhile. A failure that is the input's (a frame that cannot be decoded) kills the worker and is the job's
     * error; the worker stopping to read is not, its own outcome says why.
     */
    private static final class Feeder {
        private final Thread thread;
        private volatile Exception failure;
        private volatile long busyMillis;

        Feeder(InputPreparer.Plan plan, WorkerFeed feed, RunningWorker worker, long beginNanos) {
            thread = Thread.ofPlatform().daemon().name("arca-ai-feed").start(() -> {
                try (feed) {
                    plan.write(feed);
                } catch (WorkerFeed.WorkerGone e) {
                    // The worker ended early: its outcome says why.
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    worker.kill();
                } finally {
                    // Preparing is what the server did, not the time it waited for the worker to take the frames.
                    busyMillis = millisSince(beginNanos) - feed.waitedMillis();
                }
            });
        }

        /** Waits for the feed to end; the milliseconds spent preparing. */
        long await() throws InterruptedException {
            thread.join();
            return busyMillis;
        }

        /** Throws what failed in preparing the input, if anything did. */
        void rethrow() throws IOException {
            Exception e = failure;
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
        }
    }

    /**
     * Why the worker failed: its last line when it said why itself ({@code worker failed: ...}, the last of its
     * output otherwise). A worker that crashed or was killed says nothing; what the sandbox around it says then
     * (util-linux unshare complains about its signal mask) is not why, so the user reads that it ended abruptly.
     */
    private static String lastLine(WorkerLauncher.Outcome outcome) {
        String[] lines = outcome.log().strip().split("\n");
        String last = lines.length == 0 || lines[lines.length - 1].isBlank() ? null : lines[lines.length - 1];
        if (last != null && !outcome.log().contains("worker failed: ") && (last.startsWith("unshare: ") || outcome.exitCode() > 128)) {
            return "the worker ended abruptly, as a process that crashed or was killed (exit status " + outcome.exitCode() + ").";
        }
        return last == null ? "the worker ended without a reason (exit status " + outcome.exitCode() + ")." : last;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
