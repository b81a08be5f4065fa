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
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.sftp.PublicKeyLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench sftp}: the same OpenSSH {@code sftp} client and the same files against Arca's embedded
 * SFTP server and against OpenSSH's own {@code sftp-server} behind a second {@code sshd} on a loopback port,
 * in one run: one large file up and down (MB/s) and many small files up (files/s), plain and with {@code sftp -f}
 * (each file fsync'd, which Arca always does), with the cipher and MAC each negotiated, after the same warm-up
 * for both. The small-file uploads alternate between the servers a few times and their medians are compared:
 * on a shared 2-core machine one run of OpenSSH's alone varied twofold. Needs {@code openssh-client} and
 * {@code openssh-server}. Prints, never asserts.
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
    @Option(names = "--warmup-files", defaultValue = "20000", description = "Small files each server gets before the measured"
            + " ones. Arca's JIT goes on compiling for about 20,000 files after a start (Lucene's flush and merge code"
            + " runs once per index refresh), at a fifth of the CPU of 2 cores; with 3,000 the first measured upload ran"
            + " at half the rate of the third. The warm-up's own rate is reported too, as 'first small/s'")
    int warmupFiles;
    @Option(names = "--repeat", defaultValue = "3", description = "Large-file transfers and small-file uploads per"
            + " server, alternating between the servers; medians are compared")
    int repeat;
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
            List<Path> plain = new ArrayList<>();
            List<Path> durable = new ArrayList<>();
            List<Path> big = new ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                plain.add(smallFiles("small-" + i, files, 100 + i));
                durable.add(smallFiles("small-f-" + i, files, 200 + i));
                big.add(randomFile("big-" + i + ".bin", fileMb, 300 + i));
            }
            Workload workload = new Workload(big, plain, durable,
                    randomFile("warm.bin", warmupMb, 3), smallFiles("warm-small", warmupFiles, 4));
            System.out.printf(Locale.ROOT, "SFTP bench on %d cores: %d x one %d MiB file, %d x %d files of %d KiB, client %s%n",
                    Runtime.getRuntime().availableProcessors(), repeat, fileMb, repeat, files, fileKb, opensshVersion());
            try (Peer peer = Peer.start(scratch.resolve("peer"), key);
                 Arca arca = Arca.builder().dataDir(scratch.resolve("arca")).httpHost("127.0.0.1").httpPort(0)
                         .sftpPort(freePort()).adminPassword("bench admin password").start()) {
                Repository repo = arca.repository();
                PublicKeyLine line = PublicKeyLine.parse(Files.readString(scratch.resolve("client_key.pub")));
                Caller admin = repo.authentication().password(Arca.ADMIN_LOGIN, "bench admin password");
                repo.publicKeys().add(admin, "bench", line.type(), line.data(), line.fingerprint());
                List<Server> servers = List.of(
                        new Server("openssh", client(peer.port(), key), peer.login(), peer.target().toString()),
                        new Server("arca", client(arca.sftp().orElseThrow().port(), key), Arca.ADMIN_LOGIN, "/home"));
                measure(servers, workload);
            }
            return 0;
        } finally {
            if (dir == null) {
                delete(scratch);
            }
        }
    }

    /**
     * What each server gets: per repetition a large file, a plain small-file tree and one for {@code sftp -f},
     * each with bytes of its own (or Arca would store a later one as a duplicate of an earlier one and skip its
     * fsyncs); and the warm-up pair sent before them.
     */
    private record Workload(List<Path> big, List<Path> small, List<Path> smallDurable, Path warmBig, Path warmSmall) {
    }

    /** One server as the client reaches it: its {@code sftp} command line, login and upload folder. */
    private record Server(String name, List<String> sftp, String login, String target) {
    }

    private List<String> client(int port, Path key) {
        List<String> sftp = new ArrayList<>(List.of("sftp", "-P", Integer.toString(port), "-i", key.toString(),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "Compression=no"));
        if (cipher != null) {
            sftp.addAll(1, List.of("-c", cipher));
        }
        return sftp;
    }

    /**
     * Both servers run side by side. Each gets the same warm-up; then a large file up and down, and then the
     * small-file uploads, each alternating between the servers {@code --repeat} times, so that a slow stretch of a
     * shared machine falls on both; the medians are compared.
     */
    private void measure(List<Server> servers, Workload workload) throws IOException, InterruptedException {
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (Server server : servers) {
            System.out.printf(Locale.ROOT, "%s: %s%n", server.name(), negotiated(server.sftp(), server.login()));
            results.put(server.name(), new LinkedHashMap<>());
            // Different bytes from the measured files, so Arca's content addressing skips no measured file.
            batch(server, "put " + workload.warmBig() + " " + server.target() + "/warm.bin");
            batch(server, "get " + server.target() + "/warm.bin " + scratch.resolve("warm-down.bin"));
            Files.delete(scratch.resolve("warm-down.bin"));
            // Timed and reported (one sample each): what a freshly started server does with its first files.
            record(results, server, "first small/s", warmupFiles, () -> batch(server, "put -R " + workload.warmSmall() + " "
                    + server.target() + "/warm-small"));
        }
        // The large file up and down, alternating between the servers too: one pair's ratio swung from 0.64 to 1.03
        // between runs on this shared machine.
        for (int i = 0; i < repeat; i++) {
            Path big = workload.big().get(i);
            double mb = Files.size(big) / 1e6;
            for (Server server : servers) {
                Path down = scratch.resolve("down.bin");
                String remote = server.target() + "/" + big.getFileName();
                record(results, server, "upload MB/s", mb, () -> batch(server, "put " + big + " " + remote));
                record(results, server, "download MB/s", mb, () -> batch(server, "get " + remote + " " + down));
                if (Files.size(down) != Files.size(big)) {
                    throw new IllegalStateException(server.name() + "'s download has " + Files.size(down) + " bytes");
                }
                Files.delete(down);
            }
        }
        for (int i = 0; i < repeat; i++) {
            for (Server server : servers) {
                Path tree = workload.small().get(i);
                record(results, server, "small files/s", files, () -> batch(server, "put -R " + tree + " "
                        + server.target() + "/small-" + tree.getFileName()));
            }
            // Arca makes every file durable before it becomes an item; sftp -f asks any server for the same
            // (fsync@openssh.com after each file), which makes this comparison like for like.
            for (Server server : servers) {
                Path tree = workload.smallDurable().get(i);
                Server durable = new Server(server.name(), withFsync(server.sftp()), server.login(), server.target());
                record(results, server, "small+fsync/s", files, () -> batch(durable, "put -R " + tree + " "
                        + server.target() + "/small-" + tree.getFileName()));
            }
        }
        System.out.println();
        Map<String, List<Double>> peer = results.get(servers.get(0).name());
        Map<String, List<Double>> ours = results.get(servers.get(1).name());
        for (String metric : peer.keySet()) {
            System.out.printf(Locale.ROOT, "%-14s openssh %s, arca %s: median ratio arca/openssh = %.2f%n", metric,
                    shown(peer.get(metric)), shown(ours.get(metric)), median(ours.get(metric)) / median(peer.get(metric)));
        }
    }

    /** A measured transfer; {@code sync} first, so dirty pages of earlier ones are not flushed during it. */
    private void record(Map<String, Map<String, List<Double>>> results, Server server, String metric, double amount,
                        Transfer transfer) throws IOException, InterruptedException {
        run(List.of("sync"));
        long start = System.nanoTime();
        transfer.run();
        double seconds = seconds(start);
        results.get(server.name()).computeIfAbsent(metric, m -> new ArrayList<>()).add(amount / seconds);
        System.out.printf(Locale.ROOT, "%-8s %-14s %9.1f  (%.1f s)%n", server.name(), metric, amount / seconds, seconds);
    }

    @FunctionalInterface
    private interface Transfer {
        void run() throws IOException, InterruptedException;
    }

    private static List<String> withFsync(List<String> sftp) {
        List<String> durable = new ArrayList<>(sftp);
        durable.add(1, "-f");
        return durable;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String shown(List<Double> values) {
        return String.join(" / ", values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
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

    private void batch(Server server, String command) throws IOException, InterruptedException {
        Path batch = Files.writeString(scratch.resolve("cmd.batch"), command + "\n");
        List<String> cmd = new ArrayList<>(server.sftp());
        cmd.addAll(List.of("-q", "-b", batch.toString(), server.login() + "@127.0.0.1"));
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
