package org.arca.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench uploads}: acknowledged small uploads per second through REST PUT against a running Arca
 * (any version, so an older one can be measured beside a newer one), at several numbers of concurrent clients.
 * Each client sends new names with random bytes, as real clients do. What it measures is mostly the cost of
 * making each upload durable before its answer, and how well concurrent uploads share it.
 */
@Command(name = "uploads", description = "Small REST uploads per second against a running server, by client count.")
final class UploadRateBench implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The server, e.g. http://127.0.0.1:8080")
    String url;
    @Option(names = "--user", defaultValue = "admin")
    String user;
    @Option(names = "--password", required = true)
    String password;
    @Option(names = "--clients", split = ",", defaultValue = "1,4,16", description = "Concurrent clients, one run each")
    List<Integer> clients;
    @Option(names = "--seconds", defaultValue = "10", description = "Length of each run")
    int seconds;
    @Option(names = "--size", defaultValue = "4096", description = "Bytes per upload")
    int size;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        HttpResponse<String> created = http.send(request("/api/v1/collections")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"upload-rate-" + UUID.randomUUID() + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            System.err.println("creating a collection answered " + created.statusCode() + ": " + created.body());
            return 1;
        }
        String folder = new ObjectMapper().readTree(created.body()).get("id").asText();
        // A short run first, so the server's JIT has compiled the upload path before anything is timed.
        run(folder, 4, Math.max(2, seconds / 2));
        for (int count : clients) {
            long[] result = run(folder, count, seconds);
            System.out.printf(Locale.ROOT, "%2d clients: %7.1f uploads/s (%d in %d s, %d refused)%n", count,
                    result[0] / (double) seconds, result[0], seconds, result[1]);
        }
        return 0;
    }

    private long[] run(String folder, int count, int runSeconds) throws InterruptedException {
        AtomicLong stored = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long end = System.nanoTime() + runSeconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seed = i * 31L + count;
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                byte[] body = new byte[size];
                while (System.nanoTime() < end) {
                    random.nextBytes(body);
                    try {
                        int status = http.send(request("/api/v1/folders/" + folder + "/files/" + UUID.randomUUID() + ".bin")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status == 201 ? stored : refused).incrementAndGet();
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new long[] {stored.get(), refused.get()};
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
}
