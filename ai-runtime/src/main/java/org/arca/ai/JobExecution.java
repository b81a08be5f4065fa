package org.arca.ai;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
    private final ResultStore results;
    private final AiSettings settings;

    JobExecution(Repository repo, ModelRegistry registry, JobStore store, InputPreparer preparer, WorkerLauncher launcher,
                 ResultStore results, AiSettings settings) {
        this.repo = repo;
        this.registry = registry;
        this.store = store;
        this.preparer = preparer;
        this.launcher = launcher;
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
            requireWritable(caller, job.outputFolderId());
            dir = Files.createDirectories(settings.workDir()).resolve("job-" + job.id());
            Files.createDirectories(dir);
            long t = System.nanoTime();
            List<SourceFrame> frames = preparer.prepare(caller, model.manifest().input(), job.studyUid(), job.seriesUid(),
                    dir.resolve("input.bin"), (long) limits(model.manifest().resources()).heapMb() << 20);
            registry.extractGraph(model, dir.resolve("model.onnx"));
            // Again here, for versions approved before submission checked it: the worker must never see such a graph.
            var graphProblem = SelfContainedGraph.problem(dir.resolve("model.onnx"));
            if (graphProblem.isPresent()) {
                throw ArcaException.invalid("worker_failed", "The model could not run: " + graphProblem.get().text() + ".");
            }
            writeRequest(dir, model.manifest(), job.parameters());
            timings.put("prepare", millisSince(t));
            log.append("prepared ").append(frames.size()).append(" frame(s)\n");
            t = System.nanoTime();
            WorkerLauncher.Outcome outcome = launcher.run(dir, limits(model.manifest().resources()), started,
                    (done, total) -> store.progress(job.id(), 0.95 * done / Math.max(1, total)));
            timings.put("worker", millisSince(t));
            timings.put("workerStart", outcome.startMillis());
            timings.put("load", outcome.loadMillis());
            timings.put("inference", outcome.inferenceMillis());
            timings.put("workerInput", outcome.inputMillis());
            timings.put("workerOutput", outcome.outputMillis());
            log.append(outcome.log());
            if (store.find(job.id()).map(j -> j.status() == JobStatus.CANCELLED).orElse(true)) {
                return;
            }
            if (outcome.timedOut()) {
                throw ArcaException.invalid("time_limit", "The model ran past its time limit and was stopped.");
            }
            if (!outcome.succeeded() && WorkerLauncher.ranOutOfMemory(outcome.log())) {
                throw ArcaException.invalid("memory_limit", "The model ran out of memory: a run may use "
                        + limits(model.manifest().resources()).memoryMb() + " MB (the manifest's resources.memoryMb, capped by "
                        + "the server's ai-max-memory-mb) and was stopped.");
            }
            if (!outcome.succeeded()) {
                throw ArcaException.invalid("worker_failed", "The model could not run: " + lastLine(outcome.log()));
            }
            t = System.nanoTime();
            // A volume is one tensor, so one result, which the result store maps back onto the slices.
            List<FrameResult> outputs = readOutputs(dir.resolve("output.bin"),
                    model.manifest().input().volume() ? 1 : frames.size());
            List<Job.Result> stored = results.store(caller, job, model, frames, outputs, dir, log, timings);
            timings.put("store", millisSince(t));
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
            deleteTree(dir);
        }
    }

    private void requireWritable(Caller caller, String folderId) {
        AccessLevel level = repo.access().levelOn(caller, folderId);
        if (level == AccessLevel.NONE) {
            throw ArcaException.notFound("The output folder");
        }
        if (!level.atLeast(AccessLevel.WRITE)) {
            throw ArcaException.forbidden("You need WRITE access to the output folder.");
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

    private static List<FrameResult> readOutputs(Path file, int expected) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int count = in.readInt();
            if (count != expected) {
                throw ArcaException.invalid("worker_failed", "The worker returned " + count + " frames for " + expected + ".");
            }
            List<FrameResult> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(FrameResult.read(in));
            }
            return list;
        }
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "the worker ended without a reason"
                : lines[lines.length - 1];
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Left for the next start's cleanup of the work folder.
        }
    }
}
