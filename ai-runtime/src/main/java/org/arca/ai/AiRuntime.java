package org.arca.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.arca.core.Repository;
import org.arca.dicomweb.DicomQueries;

/**
 * The AI runtime over an open repository: the model registry, the jobs, and the runner that executes them in
 * worker processes, over the tables of {@link AiPlugin#SCHEMA} (the repository must have been opened with them).
 * Call {@link #start()} to begin running queued jobs and {@link #close()} at shutdown (kills running workers and
 * the spare one).
 */
public final class AiRuntime implements AutoCloseable {
    private final ModelRegistry registry;
    private final JobService jobs;
    private final JobRunner runner;
    private final SpareWorker workers;
    private final AiSettings settings;

    public AiRuntime(Repository repo, AiSettings settings) {
        repo.requireSchema(AiPlugin.SCHEMA);
        this.settings = settings;
        this.registry = new ModelRegistry(repo, settings.workDir());
        JobStore store = new JobStore(repo.database());
        InputPreparer preparer = new InputPreparer(repo, new DicomQueries(repo));
        WorkerLauncher launcher = new WorkerLauncher(repo.sandbox(),
                new OrtNativeLibraries(settings.workDir().resolve("onnxruntime-native")), settings.workDir().resolve("worker-classes"));
        this.workers = new SpareWorker(launcher, settings.workDir(), settings.spareWorker());
        JobExecution execution = new JobExecution(repo, registry, store, preparer, launcher, workers, new ResultStore(repo),
                settings);
        this.runner = new JobRunner(store, execution);
        this.jobs = new JobService(repo, registry, store, preparer, runner);
    }

    public ModelRegistry models() {
        return registry;
    }

    public JobService jobs() {
        return jobs;
    }

    /**
     * The JVM of a job's worker while the job runs here (under the sandbox's and prlimit's processes, when those
     * wrap it): for diagnostics and the tests.
     */
    java.util.Optional<ProcessHandle> workerJvm(String jobId) {
        return runner.worker(jobId).flatMap(AiRuntime::jvm);
    }

    /** The JVM of the spare worker waiting for the next job, if one waits. */
    java.util.Optional<ProcessHandle> spareJvm() {
        return workers.waiting().flatMap(AiRuntime::jvm);
    }

    /** The worker's JVM itself: {@code p} or, when the sandbox or prlimit wraps it, a descendant; empty until it runs. */
    static java.util.Optional<ProcessHandle> jvm(Process p) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(p.toHandle()), p.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    }

    /** Clears what a stopped process left in the work folder, fails its interrupted jobs, and starts running. */
    public AiRuntime start() {
        if (Files.isDirectory(settings.workDir())) {
            try (Stream<Path> files = Files.walk(settings.workDir())) {
                files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(settings.workDir())).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        runner.start();
        return this;
    }

    @Override
    public void close() {
        runner.close();
        workers.close();
    }
}
