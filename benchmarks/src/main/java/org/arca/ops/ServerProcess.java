package org.arca.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code arca serve} as a separate operating-system process on loopback, for checks that must crash a real
 * server: started with the same Java and class path as this process, stopped with SIGKILL when asked.
 * Its console output goes to a file beside its data.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    final int httpPort;
    final int sftpPort;

    private ServerProcess(Process process, Path log, int httpPort, int sftpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.sftpPort = sftpPort;
    }

    /**
     * Starts {@code arca serve} on {@code dataDir} (and {@code dbUrl}, or embedded H2 when null) and returns once
     * it has said it is ready.
     */
    static ServerProcess start(Path dataDir, String dbUrl, String adminPassword, int round) throws IOException,
            InterruptedException {
        int httpPort = freePort();
        int sftpPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), "serve"));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-serve-" + round + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("ARCA_"));
        env.put("ARCA_DATA_DIR", dataDir.toString());
        env.put("ARCA_HTTP_HOST", "127.0.0.1");
        env.put("ARCA_HTTP_PORT", Integer.toString(httpPort));
        env.put("ARCA_SFTP_PORT", Integer.toString(sftpPort));
        env.put("ARCA_ADMIN_PASSWORD", adminPassword);
        if (dbUrl != null) {
            env.put("ARCA_DB_URL", dbUrl);
        }
        ServerProcess server = new ServerProcess(builder.start(), log, httpPort, sftpPort);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Arca is ready")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("arca serve exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IOException("arca serve was not ready within " + START_LIMIT + ":\n" + tail());
    }

    /** What the server printed last, for a failure's message. */
    String tail() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed; what survives is what was durable. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
