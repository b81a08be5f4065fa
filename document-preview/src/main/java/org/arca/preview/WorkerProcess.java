package org.arca.preview;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arca.core.Sandbox;

/**
 * Runs a class's {@code main} in a child JVM of Arca's own, with a heap limit and a wall-clock limit, and
 * kills it when time is up. The child gets the parent's class path, so it runs the same code. Used where a
 * library may hang or exhaust memory on hostile input (Tika, PDF rendering).
 */
final class WorkerProcess {

    /** How a run ended. {@code exitCode} is -1 when the child was killed for taking too long. */
    record Outcome(int exitCode, boolean timedOut) {
        boolean outOfMemory() {
            return exitCode == OUT_OF_MEMORY;
        }
    }

    static final int OUT_OF_MEMORY = 3;
    /** The name under which the worker finds its input file in its folder. */
    static final String INPUT = "input";

    private final Sandbox sandbox;
    private final int heapMegabytes;
    private final long timeoutMillis;

    WorkerProcess(Sandbox sandbox, int heapMegabytes, long timeoutMillis) {
        this.sandbox = sandbox;
        this.heapMegabytes = heapMegabytes;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The parent's class path with every entry made absolute: the child runs in its job folder, so the
     * relative path of {@code java -jar ops/target/arca.jar} would name nothing there.
     */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * Runs {@code mainClass} in {@code workDir} with {@code args}; {@code input} is the file it works on, which it
     * finds as {@link #INPUT} in {@code workDir} (see {@link Sandbox#command}).
     */
    Outcome run(Class<?> mainClass, Path workDir, Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMegabytes + "m", "-Xss2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "-XX:ErrorFile=" + workDir.resolve("hs_err.log"),
                "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + workDir,
                "-cp", absoluteClassPath(), mainClass.getName()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("worker.log");
        // Hostile files are parsed here: no network, none of the server's files or environment (see Sandbox).
        Process process = sandbox.command(workDir, java.util.Map.of(INPUT, input), command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Outcome(-1, true);
            }
            int code = process.exitValue();
            // -XX:+ExitOnOutOfMemoryError exits with 3 and says so on stderr.
            if (code != 0 && Files.exists(log) && new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains("OutOfMemoryError")) {
                return new Outcome(OUT_OF_MEMORY, false);
            }
            return new Outcome(code, false);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
