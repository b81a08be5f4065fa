package org.arca.ai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.arca.ai.worker.WorkerMain;
import org.arca.ai.worker.WorkerRequest;
import org.arca.core.Sandbox;

/**
 * Starts a worker JVM for one job ({@link RunningWorker} follows it to its end): the JVM of this server ({@code java.home}), a class path of
 * just the worker and its inference libraries, heap and processor limits, an empty environment, and a wall-time
 * limit after which the process is killed. The worker's folder is its temporary directory too, so the native
 * library ONNX Runtime would unpack and DJL's cache stay inside it and vanish with it. ONNX Runtime's libraries are
 * copied in from {@link OrtNativeLibraries} rather than unpacked from the jar by every worker.
 *
 * <p>Memory: {@code -Xmx} bounds only the Java heap, while ONNX Runtime allocates tensors natively. The worker
 * therefore starts under {@code prlimit --data} (util-linux), which caps the process's private writable memory,
 * heap and native alike, as the kernel counts it: an allocation past the cap fails inside the worker (ONNX
 * Runtime reports a failed allocation), never on the server's machine as a whole. RLIMIT_DATA rather than
 * RLIMIT_AS, because the JVM reserves far more address space than it uses. Where prlimit is missing the worker
 * runs with the heap limit alone, and the server says so once.
 *
 * <p>Isolation: a worker needs no network and none of the server's files, so it runs in the repository's
 * {@link Sandbox} (shared with the preview and extraction workers): namespaces of its own where
 * only a loopback that is down exists, the data folder is covered but for the job's own folder, and only its own
 * processes are in view. Should a crafted graph ever take over ONNX Runtime, it could neither read another
 * user's data nor send anything anywhere. Where the kernel refuses unprivileged namespaces the worker runs with
 * less, and the server says so once.
 */
final class WorkerLauncher {
    private static final List<String> WORKER_CLASSES = List.of(WorkerMain.class.getName(), "ai.djl.Model",
            "ai.djl.onnxruntime.engine.OrtEngine", "ai.onnxruntime.OrtEnvironment", "com.google.gson.Gson",
            "com.sun.jna.Native", "org.slf4j.LoggerFactory", "org.apache.commons.compress.utils.IOUtils");

    /** Limits of one run, already capped by the server's settings. */
    record Limits(int heapMb, int threads, Duration wall, int memoryMb) {
        /** The private-memory cap: never below the heap plus room for the JVM itself and the native library. */
        long dataLimitBytes() {
            return Math.max(memoryMb, heapMb + 256L) << 20;
        }

        /**
         * Whether a process started with these limits suits a run with {@code other}: all but the wall time are
         * fixed when its JVM starts.
         */
        boolean startedAlike(Limits other) {
            return heapMb == other.heapMb && threads == other.threads && memoryMb == other.memoryMb;
        }
    }

    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerLauncher.class);
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    /** How a run ended, with what the worker said about its timings. */
    record Outcome(int exitCode, boolean timedOut, String log, long startMillis, long loadMillis, long inferenceMillis,
                   long inputMillis, long outputMillis) {
        boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }
    }

    private final String classPath = classPath();
    private final Sandbox sandbox;
    private final OrtNativeLibraries natives;
    private final WorkerClassArchive classes;

    /** {@code classesFolder}: where the workers' {@link WorkerClassArchive} is kept, a folder no worker can see. */
    WorkerLauncher(Sandbox sandbox, OrtNativeLibraries natives, Path classesFolder) {
        this.sandbox = sandbox;
        this.natives = natives;
        this.classes = new WorkerClassArchive(classesFolder, classPath);
    }

    /**
     * Starts a job's worker on {@code dir}, a folder of its own; the request and the graph go there and the worker
     * is told with {@link RunningWorker#graphReady}; the frames follow on its standard input
     * ({@link RunningWorker#input}). {@code started} receives the process (so a cancel can kill
     * it), {@code progress} each "done of total" report.
     */
    RunningWorker start(Path dir, Limits limits, Consumer<Process> started,
                        java.util.function.BiConsumer<Integer, Integer> progress) throws IOException {
        return start(dir, limits, classes.copyInto(dir), started, progress);
    }

    /**
     * Makes the workers' class archive if there is none yet in this run: a worker started with the options that
     * write it, on Arca's own graph (the tests' 3×3 box filter) and one small frame, so nothing a job brought
     * can shape it. A run that fails leaves the workers without an archive, as before; said once in the log. One
     * that was killed because a job came ({@code started} received the process; {@code preempted} says so after)
     * is tried again another time. Returns at once when there is nothing to do.
     */
    void warmUp(Path dir, Consumer<Process> started, java.util.function.BooleanSupplier preempted)
            throws InterruptedException {
        if (!classes.claim()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            try (var graph = WorkerLauncher.class.getResourceAsStream("warm-up.onnx")) {
                Files.copy(java.util.Objects.requireNonNull(graph, "warm-up.onnx"), dir.resolve("model.onnx"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            WorkerRequest.plain(2, 1).writeTo(dir);
            RunningWorker worker = start(dir, new Limits(256, 1, Duration.ofMinutes(2), 2048), classes.makingIn(dir),
                    started, (done, total) -> { });
            worker.graphReady();
            try (var out = new org.arca.ai.worker.TensorFile.Writer(worker.input(), 1)) {
                var recipe = new org.arca.ai.worker.TensorRecipe(1, new double[] {0}, new double[] {1}, 32, 32, true);
                byte[] pixels = new byte[32 * 32];
                java.util.Arrays.fill(pixels, 0, pixels.length / 2, (byte) 255);
                out.write(new org.arca.ai.worker.TensorFile.Rgb8(32, 32, 1, pixels, recipe));
            } catch (IOException e) {
                // The worker stopped reading: its outcome below says why.
            }
            Outcome outcome;
            try {
                outcome = worker.finish();
            } catch (InterruptedException e) {
                worker.kill();
                throw e;
            }
            if (!outcome.succeeded() && preempted.getAsBoolean()) {
                classes.release();
                return;
            }
            if (!outcome.succeeded()) {
                LOG.warn("AI workers start without a class archive: the run that makes it failed: {}", outcome.log().strip());
                return;
            }
            classes.adopt(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("AI workers start without a class archive: {}", e.toString());
        }
    }

    private RunningWorker start(Path dir, Limits limits, List<String> archive, Consumer<Process> started,
                                java.util.function.BiConsumer<Integer, Integer> progress) throws IOException {
        Started worker = launch(dir, limits, archive);
        return handOver(worker, worker.beginNanos(), limits.wall(), started, progress);
    }

    /**
     * A worker process started on {@code dir} and given no job yet: it boots and loads ONNX Runtime, then waits for
     * {@link RunningWorker#graphReady}. {@code beginNanos}: when it was started.
     */
    record Started(Process process, Path dir, Limits limits, long beginNanos) {
    }

    /**
     * Starts a worker on an empty folder of its own ({@code dir}, which must exist) for a job that is not known yet:
     * {@link SpareWorker}'s spare. Its wall time begins when a job takes it ({@link #attach}).
     */
    Started launch(Path dir, Limits limits) throws IOException {
        return launch(dir, limits, classes.copyInto(dir));
    }

    /**
     * Makes {@code worker}, a spare from {@link #launch}, the job's: its wall time ({@code wall}, the job's) counts
     * from now, {@code started} receives the process (so a cancel can kill it), {@code progress} each "done of
     * total" report.
     */
    RunningWorker attach(Started worker, Duration wall, Consumer<Process> started,
                         java.util.function.BiConsumer<Integer, Integer> progress) {
        return handOver(worker, System.nanoTime(), wall, started, progress);
    }

    /** The job's worker from {@code beginNanos} on: the same as its start, unless it was a spare started ahead. */
    private static RunningWorker handOver(Started worker, long beginNanos, Duration wall, Consumer<Process> started,
                                          java.util.function.BiConsumer<Integer, Integer> progress) {
        started.accept(worker.process());
        return new RunningWorker(worker.process(), worker.dir(), worker.beginNanos(), beginNanos, wall, progress);
    }

    private Started launch(Path dir, Limits limits, List<String> archive) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(PRLIMIT)) {
            command.addAll(List.of(PRLIMIT.toString(), "--data=" + limits.dataLimitBytes(), "--"));
        } else if (WARNED.compareAndSet(false, true)) {
            LOG.warn("{} is missing: AI workers run with a heap limit only, so native memory is not capped", PRLIMIT);
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + limits.heapMb() + "m", "-XX:ActiveProcessorCount=" + limits.threads(), "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + tmp,
                "-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + tmp.resolve("djl"), "-DENGINE_CACHE_DIR=" + tmp.resolve("djl"),
                // No logging back end: in the packaged server the class path is the one jar, logback and the server's
                // logback.xml included, and setting that up took about 0.4 s of every job. DJL's log lines were noise
                // in the job log; a failure reaches it as the exception the worker prints.
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-Dslf4j.internal.verbosity=WARN"));
        command.addAll(archive);
        command.addAll(natives.copyInto(dir));
        command.addAll(List.of("-cp", classPath, WorkerMain.class.getName(), dir.toString()));
        // Nothing of the server's environment (database URLs, passwords in ARCA_* variables) reaches the worker, nor
        // its files: everything the worker reads (graph, request) was put in its folder beforehand, and the pixels
        // come through its standard input.
        ProcessBuilder builder = sandbox.command(dir, java.util.Map.of(), command);
        builder.environment().put("DJL_OFFLINE", "true");
        long begin = System.nanoTime();
        return new Started(builder.start(), dir, limits, begin);
    }

    /** Whether a failed worker's log says an allocation failed: the Java heap, or native memory under the cap. */
    static boolean ranOutOfMemory(String log) {
        return log.contains("OutOfMemoryError") || log.contains("bad_alloc") || log.contains("bad allocation")
                || log.contains("Failed to allocate") || log.contains("std::bad_alloc");
    }

    /** The jars or folders holding the worker and its libraries, and nothing else (no JDBC driver, no server code). */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String name : WORKER_CLASSES) {
            try {
                CodeSource source = Class.forName(name, false, WorkerLauncher.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                if (source != null) {
                    entries.add(Path.of(source.getLocation().toURI()).toString());
                }
            } catch (ClassNotFoundException | java.net.URISyntaxException e) {
                // An optional helper library missing from this build: the worker runs without it.
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
