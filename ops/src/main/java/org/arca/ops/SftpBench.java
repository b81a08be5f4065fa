package org.arca.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arca.core.Caller;
import org.arca.core.Repository;
import org.arca.sftp.PublicKeyLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench sftp}: the same OpenSSH {@code sftp} client and the same files against Arca's embedded
 * SFTP server and against OpenSSH's own {@code sftp-server} behind a second {@code sshd} on a loopback port,
 * in one run: one large file up and down (MB/s) and many small files up (files/s), plain and with {@code sftp -f}
 * (each file fsync'd, which Arca always does), with the cipher and MAC each negotiated, after the same warm-up
 * for both. Needs {@code openssh-client} and {@code openssh-server}. Prints, never asserts.
 */
@Command(name = "sftp", description = "Benchmark Arca's SFTP server against OpenSSH's sftp-server.")
final class SftpBench implements Callable<Integer> {

    @Option(names = "--dir", description = "Scratch folder on the disk to measure (default: a temporary folder)")
    Path dir;
    @Option(names = "--file-mb", defaultValue = "2048", description = "Size of the large file in MiB")
    int fileMb;
    @Option(names = "--files", defaultValue = "10000", description = "How many small files")
    int files;
    @Option(names = "--file-kb", defaultValue = "10", description = "Size of each small file in KiB")
    int fileKb;
    @Option(names = "--warmup-mb", defaultValue = "256", description = "Size of the file each server gets up and down"
            + " before the measured transfers, so Arca's JIT-compiled code, not its interpreter, is measured")
    int warmupMb;
    @Option(names = "--warmup-files", defaultValue = "3000", description = "Small files each server gets before the measured ones;"
            + " fewer leave Arca's JIT compiling (seconds of CPU on 2 cores) during the measured small-file uploads")
    int warmupFiles;
    @Option(names = "--cipher", description = "Make the client use this cipher with both servers (sftp -c), for a like-for-like"
            + " comparison; by default each server gets the client's first choice it supports")
    String cipher;

    private static final Pattern CIPHER = Pattern.compile("kex: client->server cipher: (\\S+) MAC: (\\S+)");

    private Path scratch;

    @Override
    public Integer call() throws Exception {
        scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("arca-sftp-bench-");
        try {
            Path key = scratch.resolve("client_key");
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
            Workload workload = new Workload(randomFile("big.bin", fileMb, 1), smallFiles("small", files, 2),
                    smallFiles("small-again", files, 5), randomFile("warm.bin", warmupMb, 3),
                    smallFiles("warm-small", warmupFiles, 4));
            System.out.printf(Locale.ROOT, "SFTP bench on %d cores: one %d MiB file, %d files of %d KiB, client %s%n",
                    Runtime.getRuntime().availableProcessors(), fileMb, files, fileKb, opensshVersion());
            Map<String, Map<String, Double>> results = new LinkedHashMap<>();
            try (Peer peer = Peer.start(scratch.resolve("peer"), key)) {
                results.put("openssh", measure("openssh", peer.port(), peer.login(), key, peer.target().toString(), workload));
            }
            try (Arca arca = Arca.builder().dataDir(scratch.resolve("arca")).httpHost("127.0.0.1").httpPort(0)
                    .sftpPort(freePort()).adminPassword("bench admin password").start()) {
                Repository repo = arca.repository();
                PublicKeyLine line = PublicKeyLine.parse(Files.readString(scratch.resolve("client_key.pub")));
                Caller admin = repo.authentication().password(Arca.ADMIN_LOGIN, "bench admin password");
                repo.publicKeys().add(admin, "bench", line.type(), line.data(), line.fingerprint());
                results.put("arca", measure("arca", arca.sftp().orElseThrow().port(), Arca.ADMIN_LOGIN, key, "/home", workload));
            }
            System.out.println();
            for (String metric : results.get("openssh").keySet()) {
                double peer = results.get("openssh").get(metric);
                double ours = results.get("arca").get(metric);
                System.out.printf(Locale.ROOT, "ratio %-14s arca/openssh = %.2f%n", metric, ours / peer);
            }
            return 0;
        } finally {
            if (dir == null) {
                delete(scratch);
            }
        }
    }

    /**
     * What each server gets: the measured large file, two small-file trees (one plain, one with {@code sftp -f};
     * different bytes, or Arca would store the second as duplicates of the first), and the warm-up pair sent
     * before them.
     */
    private record Workload(Path big, Path small, Path smallAgain, Path warmBig, Path warmSmall) {
    }

    private Map<String, Double> measure(String name, int port, String login, Path key, String target, Workload workload)
            throws IOException, InterruptedException {
        Path big = workload.big();
        Path small = workload.small();
        Map<String, Double> r = new LinkedHashMap<>();
        List<String> sftp = List.of("sftp", "-P", Integer.toString(port), "-i", key.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "Compression=no");
        if (cipher != null) {
            sftp = new ArrayList<>(sftp);
            sftp.addAll(1, List.of("-c", cipher));
        }
        String negotiated = negotiated(sftp, login);
        System.out.printf(Locale.ROOT, "%n== %s (port %d): %s%n", name, port, negotiated);
        // The same warm-up for both servers; different bytes from the measured files, so Arca's content
        // addressing cannot skip storing any measured file as a duplicate.
        batch(sftp, login, "put " + workload.warmBig() + " " + target + "/warm.bin");
        batch(sftp, login, "get " + target + "/warm.bin " + scratch.resolve("warm-down.bin"));
        Files.delete(scratch.resolve("warm-down.bin"));
        batch(sftp, login, "put -R " + workload.warmSmall() + " " + target + "/warm-small");
        // Dirty pages of earlier writes (the other server's run, the warm-up) would otherwise be flushed while
        // this server is measured.
        run(List.of("sync"));
        double mb = Files.size(big) / 1e6;
        long start = System.nanoTime();
        batch(sftp, login, "put " + big + " " + target + "/big.bin");
        double seconds = seconds(start);
        r.put("upload MB/s", mb / seconds);
        System.out.printf(Locale.ROOT, "upload   %8.1f MB/s  (%.1f s)%n", mb / seconds, seconds);
        Path down = scratch.resolve("down.bin");
        start = System.nanoTime();
        batch(sftp, login, "get " + target + "/big.bin " + down);
        seconds = seconds(start);
        r.put("download MB/s", mb / seconds);
        System.out.printf(Locale.ROOT, "download %8.1f MB/s  (%.1f s)%n", mb / seconds, seconds);
        if (Files.size(down) != Files.size(big)) {
            throw new IllegalStateException("the download has " + Files.size(down) + " bytes");
        }
        Files.delete(down);
        start = System.nanoTime();
        batch(sftp, login, "put -R " + small + " " + target + "/small");
        seconds = seconds(start);
        r.put("small files/s", files / seconds);
        System.out.printf(Locale.ROOT, "small    %8.1f files/s (%.1f s)%n", files / seconds, seconds);
        // Arca makes every file durable before it becomes an item; sftp -f asks any server for the same
        // (fsync@openssh.com after each file), which makes the comparison like for like.
        List<String> durable = new ArrayList<>(sftp);
        durable.add(1, "-f");
        start = System.nanoTime();
        batch(durable, login, "put -R " + workload.smallAgain() + " " + target + "/small-fsync");
        seconds = seconds(start);
        r.put("small+fsync/s", files / seconds);
        System.out.printf(Locale.ROOT, "small -f %8.1f files/s (%.1f s), each file fsync'd%n", files / seconds, seconds);
        return r;
    }

    private String negotiated(List<String> sftp, String login) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(sftp);
        cmd.add(1, "-v");
        Path batch = Files.writeString(scratch.resolve("ls.batch"), "ls /\n");
        cmd.addAll(List.of("-b", batch.toString(), login + "@127.0.0.1"));
        String out = run(cmd);
        Matcher m = CIPHER.matcher(out);
        return m.find() ? "cipher " + m.group(1) + ", MAC " + m.group(2) : "cipher unknown";
    }

    private void batch(List<String> sftp, String login, String command) throws IOException, InterruptedException {
        Path batch = Files.writeString(scratch.resolve("cmd.batch"), command + "\n");
        List<String> cmd = new ArrayList<>(sftp);
        cmd.addAll(List.of("-q", "-b", batch.toString(), login + "@127.0.0.1"));
        run(cmd);
    }

    private Path randomFile(String name, int mb, long seed) throws IOException {
        Path big = scratch.resolve(name);
        byte[] block = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < mb; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return big;
    }

    private Path smallFiles(String name, int count, long seed) throws IOException {
        Path small = Files.createDirectories(scratch.resolve(name));
        byte[] bytes = new byte[fileKb << 10];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            random.nextBytes(bytes);
            Files.write(small.resolve(String.format(Locale.ROOT, "f%05d.bin", i)), bytes);
        }
        return small;
    }

    private static String opensshVersion() throws IOException, InterruptedException {
        return run(List.of("ssh", "-V")).strip();
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** OpenSSH's sshd as a plain process on a loopback port, with its own host key, serving sftp-server. */
    record Peer(Process process, int port, String login, Path target) implements AutoCloseable {

        static Peer start(Path dir, Path clientKey) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Files.createDirectories(Path.of("/run/sshd"));
            Path hostKey = dir.resolve("host_key");
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
            Path authorized = dir.resolve("authorized_keys");
            Files.copy(clientKey.resolveSibling(clientKey.getFileName() + ".pub"), authorized);
            int port = freePort();
            Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey, "AuthorizedKeysFile " + authorized,
                    "PidFile " + dir.resolve("sshd.pid"), "UsePAM no", "StrictModes no", "PasswordAuthentication no",
                    "PermitRootLogin prohibit-password", "Subsystem sftp /usr/lib/openssh/sftp-server", ""));
            Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            for (int i = 0; i < 100; i++) {
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            Path target = Files.createDirectories(dir.resolve("target"));
            return new Peer(sshd, port, System.getProperty("user.name"), target);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
