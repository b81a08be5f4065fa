package org.arca.ai;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.arca.ai.worker.FrameResult;
import org.arca.ai.worker.WorkerReport;
import org.arca.ai.worker.WorkerRequest;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;

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
        Trace trace = new Trace(job);
        try {
            Caller caller = repo.authentication().activeCaller(job.userId())
                    .orElseThrow(() -> ArcaException.forbidden("The job's owner is no longer an active user."));
            ModelVersion model = registry.runnable(caller, job.modelName(), job.modelVersion());
            if (!model.approvedSha256().equals(job.modelSha256())) {
                throw ArcaException.conflict("model_changed", "The approved package changed after the job was submitted.");
            }
            repo.access().require(caller, job.outputFolderId(), AccessLevel.WRITE, JobService.OUTPUT_FOLDER);
            Optional<List<Job.Result>> stored = new WorkerRun(job, caller, model, trace).run(started);
            if (stored.isPresent()) {
                succeed(job, caller, model, stored.get(), trace);
            }
        } catch (ArcaException e) {
            fail(job, e.getMessage(), trace);
        } catch (IOException | RuntimeException e) {
            fail(job, "The job failed: " + e.getMessage(), trace);
        } catch (InterruptedException e) {
            fail(job, "Arca stopped while this job ran.", trace);
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes that the job succeeded with {@code stored}, and audits it; when the row cannot take the outcome
     * (cancelled meanwhile, or a failure), deletes the results: no results without a job that lists them.
     */
    private void succeed(Job job, Caller caller, ModelVersion model, List<Job.Result> stored, Trace trace) {
        trace.timings.put("total", trace.timings.get("queued") + millisSince(trace.beginNanos));
        boolean finished = false;
        try {
            finished = store.finish(job.id(), JobStatus.SUCCEEDED, null, trace.log.toString(), stored, trace.timings);
        } finally {
            if (!finished) {
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
    }

    private void fail(Job job, String reason, Trace trace) {
        store.finish(job.id(), JobStatus.FAILED, reason, trace.log.toString(), List.of(), trace.timings);
    }

    /** What a job's row records besides its outcome: the milliseconds its steps took, and its log. */
    private static final class Trace {
        final Map<String, Long> timings = new LinkedHashMap<>();
        final StringBuilder log = new StringBuilder();
        final long beginNanos = System.nanoTime();

        Trace(Job job) {
            timings.put("queued", Duration.between(job.createdAt(), job.startedAt()).toMillis());
        }

        /** What the worker said of its run: its timings, and its log. */
        void worker(WorkerLauncher.Outcome outcome) {
            timings.put("workerStart", outcome.startMillis());
            timings.put("load", outcome.loadMillis());
            timings.put("inference", outcome.inferenceMillis());
            timings.put("workerInput", outcome.inputMillis());
            timings.put("workerOutput", outcome.outputMillis());
            log.append(outcome.log());
        }
    }

    /**
     * One job's worker, from taking it to its end: hands it the request and the graph, feeds it the prepared
     * frames, stores its results as they come, and says why it failed if it did. The worker's JVM starts (or was
     * started ahead, in idle time) while the graph is extracted and checked, loads the graph while the series is
     * read and decoded here, and infers each frame while the next are prepared and the results of the last are
     * drawn: the job takes about as long as its longest chain, not the sum of its steps.
     */
    private final class WorkerRun {
        private final Job job;
        private final Caller caller;
        private final ModelVersion model;
        private final Trace trace;
        private final WorkerLauncher.Limits limits;

        WorkerRun(Job job, Caller caller, ModelVersion model, Trace trace) {
            this.job = job;
            this.caller = caller;
            this.model = model;
            this.trace = trace;
            this.limits = limits(model.manifest().resources());
        }

        /** The results, stored; empty when the job was cancelled meanwhile. */
        Optional<List<Job.Result>> run(Consumer<Process> started) throws IOException, InterruptedException {
            RunningWorker worker = workers.take(limits, started,
                    (done, total) -> store.progress(job.id(), 0.95 * done / Math.max(1, total)));
            long workerBegin = System.nanoTime();
            if (worker.spareAgeMillis() >= 0) {
                trace.timings.put("spareAge", worker.spareAgeMillis());
            }
            Feeder feeder = null;
            try {
                handOverGraph(worker);
                long t = System.nanoTime();
                InputPreparer.Plan plan = preparer.plan(caller, model.manifest().input(), job.studyUid(), job.seriesUid(),
                        (long) limits.heapMb() << 20);
                trace.log.append("prepared ").append(plan.frames().size()).append(" frame(s)\n");
                feeder = new Feeder(plan, new WorkerFeed(worker.dir().resolve("input.bin"), worker.input()), worker, t);
                return collect(worker, feeder, plan, workerBegin);
            } finally {
                release(worker, feeder);
            }
        }

        /** Puts the request and the checked graph in the worker's folder, and tells the worker they are there. */
        private void handOverGraph(RunningWorker worker) throws IOException {
            Path dir = worker.dir();
            request(model.manifest(), job.parameters()).writeTo(dir);
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
        }

        /**
         * Takes each result as the worker announces it, waits for the worker's end, and stores the results if the
         * run succeeded; empty when the job was cancelled meanwhile.
         */
        private Optional<List<Job.Result>> collect(RunningWorker worker, Feeder feeder, InputPreparer.Plan plan,
                                                   long workerBegin) throws IOException, InterruptedException {
            try (ResultStore.Collector collector = results.collect(caller, job, model, plan, worker.dir())) {
                String unreadable = receive(worker, worker.dir().resolve("output.bin"), plan.tensors(), collector);
                WorkerLauncher.Outcome outcome = worker.finish();
                long workerMillis = millisSince(workerBegin);
                trace.timings.put("prepare", feeder.await());
                trace.timings.put("worker", workerMillis);
                trace.worker(outcome);
                if (store.find(job.id()).map(j -> j.status() == JobStatus.CANCELLED).orElse(true)) {
                    return Optional.empty();
                }
                feeder.rethrow();
                requireSucceeded(outcome, unreadable, collector.received(), plan.tensors());
                long t = System.nanoTime();
                List<Job.Result> stored = collector.finish(trace.log, trace.timings);
                trace.timings.put("store", millisSince(t));
                return Optional.of(stored);
            }
        }

        /**
         * Throws why the run failed, if it did: its results unreadable ({@code unreadable} says why), its time or
         * memory up, the worker's own failure, or fewer or more results ({@code received}) than tensors sent.
         */
        private void requireSucceeded(WorkerLauncher.Outcome outcome, String unreadable, int received, int expected) {
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
            if (received != expected) {
                throw ArcaException.invalid("worker_failed", "The worker returned " + received
                        + " frames for " + expected + ".");
            }
        }

        /**
         * On every way out (bad input, a failure storing, a cancel): the worker ends, and with it the feed. The
         * process has ended then, so nothing writes to its folder any more; removed before the job's outcome is
         * written, so a finished job has left nothing in the work folder.
         */
        private static void release(RunningWorker worker, Feeder feeder) throws InterruptedException {
            try {
                worker.kill();
                if (feeder != null) {
                    feeder.await();
                }
                worker.finish();
            } finally {
                WorkFolders.delete(worker.dir());
            }
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
    private static WorkerRequest request(ModelManifest manifest, Map<String, Object> parameters) {
        ModelManifest.OutputSpec output = manifest.output();
        Object threshold = parameters.getOrDefault("threshold", output.threshold());
        return new WorkerRequest(output.kind(),
                threshold instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(threshold)),
                ((Number) parameters.getOrDefault("minArea", output.minArea())).intValue(), output.activation(),
                output.segmentationType().equals("FRACTIONAL"), manifest.input().dimensions(), manifest.resources().threads());
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
        if (last != null && !outcome.log().contains(WorkerReport.FAILED) && (last.startsWith("unshare: ") || outcome.exitCode() > 128)) {
            return "the worker ended abruptly, as a process that crashed or was killed (exit status " + outcome.exitCode() + ").";
        }
        return last == null ? "the worker ended without a reason (exit status " + outcome.exitCode() + ")." : last;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
