package org.arca.ops;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.arca.core.Folder;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Accounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench}: the numbers the foundation promises, measured the same way each time. Upload and
 * download of a large file through the REST API (with curl, a separate process like cp) against {@code cp}
 * on the same disk; listing a folder of many items as a user whose access comes from an ACL; start-to-ready
 * time and resident memory of {@code serve} from the packaged jar (arca-bench.jar carries the product whole, and its
 * {@code serve} is the product's). Results are printed, never asserted.
 */
@Command(name = "bench", description = "Measure upload/download against cp, folder listing, and start-up.",
        subcommands = {DicomWebBench.class, SftpBench.class, SearchBench.class, PreviewBench.class, AiBench.class,
                CrashBench.class, UploadRateBench.class})
final class Bench implements Callable<Integer> {

    @Option(names = "--dir", description = "Scratch folder on the disk to measure (default: a temporary folder)")
    Path dir;
    @Option(names = "--file-mb", defaultValue = "2048", description = "Size of the transfer file in MiB")
    int fileMb;
    @Option(names = "--items", defaultValue = "10000", description = "Items in the listed folder")
    int items;
    @Option(names = "--pg-url", description = "Also measure listing on this PostgreSQL JDBC URL (an empty database)")
    String pgUrl;
    @Option(names = "--starts", defaultValue = "5", description = "How many start-ups to time")
    int starts;
    @Option(names = "--skip", split = ",", description = "Parts to skip: transfer, listing, startup")
    Set<String> skip = Set.of();

    private static final String ADMIN_PASSWORD = "bench admin password";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("arca-bench-");
        try {
            System.out.printf(Locale.ROOT, "Arca bench on %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            if (!skip.contains("transfer")) {
                transfer(scratch);
            }
            if (!skip.contains("listing")) {
                listing(scratch.resolve("h2"), null, "H2");
                if (pgUrl != null) {
                    listing(scratch.resolve("pg"), pgUrl, "PostgreSQL");
                }
            }
            if (!skip.contains("startup")) {
                startup(scratch);
            }
        } finally {
            deleteTree(scratch);
        }
        return 0;
    }

    private void transfer(Path scratch) throws Exception {
        Path source = scratch.resolve("source.bin");
        writeRandom(source, (long) fileMb << 20);
        long bytes = Files.size(source);
        double cp = best(3, () -> {
            Path copy = scratch.resolve("copy.bin");
            run("cp", source.toString(), copy.toString());
            Files.delete(copy);
        });
        double cpSync = best(3, () -> {
            Path copy = scratch.resolve("copy.bin");
            run("cp", source.toString(), copy.toString());
            run("sync", copy.toString());
            Files.delete(copy);
        });
        try (Arca arca = Arca.builder().dataDir(scratch.resolve("data")).httpHost("127.0.0.1").httpPort(0).sftpPort(0)
                .adminPassword(ADMIN_PASSWORD).start()) {
            Folder folder = arca.repository().folders().createCollection(admin(arca), "bench", null);
            String base = "http://127.0.0.1:" + arca.httpPort();
            String auth = "admin:" + ADMIN_PASSWORD;
            var repo = arca.repository();
            double up = best(3, () -> run("curl", "-sf", "-o", "/dev/null", "-u", auth, "-T", source.toString(),
                    base + "/api/v1/folders/" + folder.id() + "/files/upload.bin"), () -> {
                        // Identical bytes would be stored once and skip the fsync: make every run store them anew.
                        for (var stored : repo.folders().children(admin(arca), folder.id(), 10, 0).items()) {
                            repo.items().delete(admin(arca), stored.id());
                        }
                        repo.maintenance().gc(java.time.Duration.ZERO);
                    });
            run("curl", "-sf", "-o", "/dev/null", "-u", auth, "-T", source.toString(),
                    base + "/api/v1/folders/" + folder.id() + "/files/upload.bin");
            String item = repo.folders().children(admin(arca), folder.id(), 1, 0).items().get(0).id();
            Path downloaded = scratch.resolve("downloaded.bin");
            double down = best(3, () -> {
                run("curl", "-sf", "-u", auth, "-o", downloaded.toString(), base + "/api/v1/items/" + item + "/content");
                Files.delete(downloaded);
            });
            double downNull = best(3, () -> run("curl", "-sf", "-u", auth, "-o", "/dev/null", base + "/api/v1/items/" + item + "/content"));
            double curlCopy = best(3, () -> {
                run("curl", "-sf", "-o", downloaded.toString(), source.toUri().toString());
                Files.delete(downloaded);
            });
            double mb = bytes / 1048576.0;
            System.out.printf(Locale.ROOT, "%nTransfer of a %.0f MiB file (best of 3, source in the page cache, each run after a sync):%n", mb);
            System.out.printf(Locale.ROOT, "  cp                %6.2f s  %7.0f MiB/s%n", cp, mb / cp);
            System.out.printf(Locale.ROOT, "  cp + sync         %6.2f s  %7.0f MiB/s%n", cpSync, mb / cpSync);
            System.out.printf(Locale.ROOT, "  upload (PUT)      %6.2f s  %7.0f MiB/s  = %.2f of cp, %.2f of cp+sync (Arca fsyncs)%n",
                    up, mb / up, cp / up, cpSync / up);
            System.out.printf(Locale.ROOT, "  download (GET)    %6.2f s  %7.0f MiB/s  = %.2f of cp; curl writing the file is the limit:%n",
                    down, mb / down, cp / down);
            System.out.printf(Locale.ROOT, "  curl file:// copy %6.2f s  %7.0f MiB/s  (the client's own ceiling; download = %.2f of it)%n",
                    curlCopy, mb / curlCopy, curlCopy / down);
            System.out.printf(Locale.ROOT, "  download to null  %6.2f s  %7.0f MiB/s  = %.2f of cp (what the server delivers)%n",
                    downNull, mb / downNull, cp / downNull);
        } finally {
            Files.deleteIfExists(source);
        }
    }

    private void listing(Path data, String dbUrl, String label) throws Exception {
        try (Arca arca = Arca.builder().dataDir(data).database(dbUrl, null, null).httpHost("127.0.0.1").httpPort(0).sftpPort(0)
                .adminPassword(ADMIN_PASSWORD).start()) {
            var repo = arca.repository();
            Caller admin = admin(arca);
            repo.accounts().create(Caller.SYSTEM, new Accounts.NewUser("reader", "bench reader password", "r@example.org", null,
                    null, Set.of()));
            Folder collection = repo.folders().createCollection(admin, "listing", null);
            Folder big = repo.folders().create(admin, collection.id(), "big", null);
            Folder inner = repo.folders().create(admin, big.id(), "inner", null);
            repo.access().setAcl(admin, big.id(), List.of(new AclEntry("user:reader", AccessLevel.READ)));
            long fill = System.nanoTime();
            for (int i = 0; i < items; i++) {
                byte[] bytes = ("item " + i).getBytes(StandardCharsets.UTF_8);
                repo.items().upload(admin, inner.id(), String.format(Locale.ROOT, "item-%05d.txt", i), "text/plain",
                        new ByteArrayInputStream(bytes), bytes.length, false);
            }
            double fillSeconds = (System.nanoTime() - fill) / 1e9;
            String base = "http://127.0.0.1:" + arca.httpPort() + "/api/v1/folders/" + inner.id() + "/children";
            String reader = "Basic " + Base64.getEncoder().encodeToString("reader:bench reader password".getBytes(StandardCharsets.UTF_8));
            System.out.printf(Locale.ROOT, "%nListing a folder of %d items as a user with an inherited READ grant, %s "
                    + "(filled in %.1f s, %.0f uploads/s):%n", items, label, fillSeconds, items / fillSeconds);
            for (int limit : new int[] {100, Math.min(items, 10_000)}) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "?limit=" + limit))
                            .header("Authorization", reader).build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("listing answered " + r.statusCode());
                    }
                    if (i >= 10) {
                        times.add((System.nanoTime() - start) / 1e6);
                    }
                }
                times.sort(Comparator.naturalOrder());
                System.out.printf(Locale.ROOT, "  limit=%-6d p50 %6.1f ms   p95 %6.1f ms   (50 requests after 10 warm-up)%n", limit,
                        times.get(times.size() / 2), times.get((int) Math.ceil(times.size() * 0.95) - 1));
            }
        }
    }

    private void startup(Path scratch) throws Exception {
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.toString().endsWith(".jar")) {
            System.out.println("\nStart-up: skipped (run from the packaged benchmarks/target/arca-bench.jar)");
            return;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        System.out.printf(Locale.ROOT, "%nStart to ready of java -jar %s serve on embedded defaults:%n", jar.getFileName());
        Path data = scratch.resolve("startup");
        for (int i = 0; i < starts; i++) {
            boolean first = i == 0;
            int port = 20000 + new SplittableRandom().nextInt(20000);
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "serve")
                    .redirectErrorStream(true).redirectOutput(scratch.resolve("serve.log").toFile());
            pb.environment().put("ARCA_DATA_DIR", data.toString());
            pb.environment().put("ARCA_HTTP_PORT", Integer.toString(port));
            pb.environment().put("ARCA_HTTP_HOST", "127.0.0.1");
            pb.environment().put("ARCA_ADMIN_PASSWORD", ADMIN_PASSWORD);
            long start = System.nanoTime();
            Process process = pb.start();
            try {
                while (!healthy(port)) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("arca serve exited: " + Files.readString(scratch.resolve("serve.log")));
                    }
                    Thread.sleep(10);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(1000);
                long rssKb = rss(process.pid());
                System.out.printf(Locale.ROOT, "  %-12s %5.2f s to ready   resident memory %4d MiB one second later%n",
                        first ? "first start" : "start " + (i + 1), seconds, rssKb / 1024);
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    private boolean healthy(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static Caller admin(Arca arca) {
        return arca.repository().authentication().password(Arca.ADMIN_LOGIN, ADMIN_PASSWORD);
    }

    /** Random bytes, so neither ZIP nor the disk can cheat with compression or zero pages. */
    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * The fastest of several runs, each starting with no dirty pages (an untimed {@code sync}), so one run's
     * write-back does not slow the next and cp and Arca meet the disk in the same state.
     */
    private static double best(int times, Step step) throws Exception {
        return best(times, step, () -> { });
    }

    private static double best(int times, Step step, Step before) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < times; i++) {
            before.run();
            run("sync");
            long start = System.nanoTime();
            step.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
