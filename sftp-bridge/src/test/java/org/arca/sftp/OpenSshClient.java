package org.arca.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH {@code sftp} in batch mode against a server on 127.0.0.1: with a key made by
 * {@code ssh-keygen} here, or with a password through {@code sshpass}. Host keys are not pinned (each
 * test server has a fresh one); the tests about the host key check it explicitly.
 */
public final class OpenSshClient {

    /** What {@code sftp} printed and how it exited. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + "\n" + err;
        }
    }

    private final Path dir;
    private final int port;

    /** Without these, the tests that drive OpenSSH are skipped, saying so, as the browser tests are without Chromium. */
    private static final boolean INSTALLED = java.util.stream.Stream.of("sftp", "ssh-keygen", "sshpass")
            .allMatch(OpenSshClient::onPath);

    public OpenSshClient(Path dir, int port) {
        org.junit.jupiter.api.Assumptions.assumeTrue(INSTALLED,
                "OpenSSH's sftp and ssh-keygen, or sshpass, are not installed (apt-get install openssh-client sshpass)");
        this.dir = dir;
        this.port = port;
    }

    /** Makes a fresh ed25519 key pair in the working folder and returns the public key line. */
    public String newKey(String name) {
        Path key = dir.resolve(name);
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()), null);
        try {
            return Files.readString(dir.resolve(name + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the batch with the key pair made by {@link #newKey}. */
    public Result withKey(String keyName, String login, String... commands) {
        return withKey(keyName, login, List.of(), commands);
    }

    /** As {@link #withKey(String, String, String...)} with more {@code sftp} options ({@code -v}, {@code -c}), which win over the defaults here. */
    public Result withKey(String keyName, String login, List<String> options, String... commands) {
        List<String> cmd = new ArrayList<>(base());
        cmd.addAll(1, options);
        cmd.addAll(List.of("-i", dir.resolve(keyName).toString(), "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no"));
        return batch(cmd, login, commands);
    }

    /** Runs the batch signing in with a password (or an API token) through sshpass. */
    public Result withPassword(String password, String login, String... commands) {
        List<String> cmd = new ArrayList<>(List.of("sshpass", "-e"));
        cmd.add("sftp");
        cmd.addAll(base().subList(1, base().size()));
        // sftp -b turns BatchMode on, which forbids password prompts; the first value given wins, so say no first.
        cmd.addAll(List.of("-o", "BatchMode=no", "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
                "-o", "NumberOfPasswordPrompts=1"));
        return batch(cmd, login, password, commands);
    }

    private List<String> base() {
        return List.of("sftp", "-P", Integer.toString(port), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20");
    }

    private Result batch(List<String> cmd, String login, String... commands) {
        return batch(cmd, login, null, commands);
    }

    private Result batch(List<String> cmd, String login, String password, String... commands) {
        try {
            Path batch = Files.createTempFile(dir, "batch", ".txt");
            Files.writeString(batch, String.join("\n", commands) + "\n", StandardCharsets.UTF_8);
            List<String> full = new ArrayList<>(cmd);
            full.addAll(List.of("-b", batch.toString(), login + "@127.0.0.1"));
            return run(full, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result run(List<String> cmd, String password) {
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile());
            if (password != null) {
                builder.environment().put("SSHPASS", password);
            }
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("sftp did not finish: " + cmd);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
