package org.arca.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Crash rounds against a real {@code arca serve} process: clients upload through REST, tus, STOW-RS and SFTP at
 * once, the server is killed with SIGKILL at a random moment, restarted, and everything acknowledged in any
 * round so far is checked: present, byte-identical, in the audit chain, and findable by DICOMweb; nothing
 * half-written is visible; no temporary file outlives the restart. Used by {@code arca bench crash} and by the
 * test suite; it reports and never throws on a lost upload, so a caller decides what a problem means.
 */
final class CrashRounds {
    static final String ADMIN_PASSWORD = "crash admin password";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clients per surface: several at once, so commits really are concurrent. */
    private static final Map<String, Integer> CLIENTS = Map.of(CrashUploads.REST, 2, CrashUploads.TUS, 1,
            CrashUploads.STOW, 2, CrashUploads.SFTP, 2);

    /** One round's counts per surface: acknowledged before the kill, and of those, present after the restart. */
    record Round(int number, long killedAfterMillis, Map<String, int[]> acknowledgedAndPresent, int inFlightPresent,
                 List<String> problems) {
    }

    private final Path dataDir;
    private final String dbUrl;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Every round's uploads so far: a later round's restart must still show an earlier round's. */
    private final List<CrashUploads> all = new ArrayList<>();
    private final Map<CrashUploads, String> folders = new HashMap<>();
    private final Map<CrashUploads, String> earlyFailures = new HashMap<>();

    CrashRounds(Path dataDir, String dbUrl, PrintStream out) {
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.out = out;
    }

    /**
     * Runs {@code rounds} rounds, each killing the server a random 0 to {@code maxMillis} ms after every surface
     * had an upload acknowledged.
     */
    List<Round> run(int rounds, long seed, int maxMillis) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Round> results = new ArrayList<>();
        ServerProcess server = ServerProcess.start(dataDir, dbUrl, ADMIN_PASSWORD, 0);
        try {
            for (int round = 1; round <= rounds; round++) {
                long killAfter = random.nextInt(Math.max(1, maxMillis));
                CrashUploads uploads = startUploads(server, round, random.nextLong(), killAfter);
                server = ServerProcess.start(dataDir, dbUrl, ADMIN_PASSWORD, round);
                Round result = verify(server, round, killAfter);
                results.add(result);
                print(result);
            }
        } finally {
            server.close();
        }
        return results;
    }

    private CrashUploads startUploads(ServerProcess server, int round, long seed, long killAfter) throws Exception {
        String name = "crash-" + round;
        HttpResponse<String> created = send(server, "POST", "/api/v1/collections", "{\"name\":\"" + name + "\"}");
        if (created.statusCode() != 201) {
            throw new IOException("creating the collection answered " + created.statusCode() + ": " + created.body());
        }
        String folderId = JSON.readTree(created.body()).get("id").asText();
        CrashUploads uploads = new CrashUploads(server.httpPort, server.sftpPort, Arca.ADMIN_LOGIN, ADMIN_PASSWORD,
                folderId, name);
        all.add(uploads);
        folders.put(uploads, folderId);
        List<Thread> clients = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        CLIENTS.forEach((surface, count) -> {
            for (int i = 0; i < count; i++) {
                long clientSeed = seeds.nextLong();
                clients.add(Thread.ofPlatform().name("crash-" + surface + "-" + i).start(() -> uploads.run(surface, clientSeed)));
            }
        });
        // The kill comes a random while after every surface has had an upload acknowledged, so each round tests
        // all four whatever this machine's speed.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (uploads.acknowledgedSurfaces() < CLIENTS.size() && System.nanoTime() < deadline
                && clients.stream().allMatch(Thread::isAlive)) {
            Thread.sleep(20);
        }
        Thread.sleep(killAfter);
        String failedEarly = uploads.failure;
        server.kill();
        uploads.stop();
        for (Thread client : clients) {
            client.join();
        }
        if (failedEarly != null) {
            earlyFailures.put(uploads, "a client failed before the kill: " + failedEarly);
        }
        return uploads;
    }

    private Round verify(ServerProcess server, int round, long killAfter) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, int[]> counts = new HashMap<>();
        int inFlightPresent = 0;
        if (earlyFailures.containsKey(all.getLast())) {
            problems.add(earlyFailures.get(all.getLast()));
        }
        for (CrashUploads uploads : all) {
            Map<String, JsonNode> present = items(server, folders.get(uploads));
            for (String name : uploads.acknowledged) {
                CrashUploads.Sent sent = uploads.sent.get(name);
                int[] count = counts.computeIfAbsent(sent.surface(), s -> new int[2]);
                if (uploads == all.getLast()) {
                    count[0]++;
                }
                JsonNode item = sent.surface().equals(CrashUploads.STOW) ? bySha(present, sent.sha256()) : present.get(name);
                if (item == null) {
                    problems.add(sent.surface() + " upload " + name + " was acknowledged and is gone");
                    continue;
                }
                if (uploads == all.getLast()) {
                    count[1]++;
                }
                checkItem(server, name, sent, item, problems);
            }
            for (Map.Entry<String, JsonNode> item : present.entrySet()) {
                CrashUploads.Sent sent = uploads.sent.get(item.getKey());
                String sha = item.getValue().get("files").get(0).get("sha256").asText();
                boolean stowed = uploads.sent.values().stream().anyMatch(s -> s.sha256().equals(sha));
                if (sent == null && !stowed) {
                    problems.add("item " + item.getKey() + " matches no upload sent whole");
                } else if (sent != null && !sent.sha256().equals(sha)) {
                    problems.add("item " + item.getKey() + " holds other bytes than were sent (half-written?)");
                } else if (sent != null && !uploads.acknowledged.contains(item.getKey()) && uploads == all.getLast()) {
                    inFlightPresent++;
                }
            }
        }
        HttpResponse<String> audit = send(server, "GET", "/api/v1/audit/verify", null);
        if (!JSON.readTree(audit.body()).path("intact").asBoolean()) {
            problems.add("the audit chain is broken: " + audit.body());
        }
        try (Stream<Path> temporary = Files.exists(dataDir.resolve("blobs/.tmp"))
                ? Files.list(dataDir.resolve("blobs/.tmp")) : Stream.empty()) {
            long left = temporary.count();
            if (left > 0) {
                problems.add(left + " temporary upload file(s) outlived the restart in blobs/.tmp");
            }
        }
        return new Round(round, killAfter, counts, inFlightPresent, problems);
    }

    /** Downloads an acknowledged item, and asks the audit log and (for STOW) DICOMweb about it. */
    private void checkItem(ServerProcess server, String name, CrashUploads.Sent sent, JsonNode item,
                           List<String> problems) throws Exception {
        String id = item.get("id").asText();
        HttpResponse<byte[]> content = http.send(request(server, "GET", "/api/v1/items/" + id + "/content", null).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (content.statusCode() != 200 || !CrashUploads.sha256(content.body()).equals(sent.sha256())) {
            problems.add(sent.surface() + " upload " + name + " downloads other bytes (" + content.statusCode() + ")");
        }
        JsonNode entries = JSON.readTree(send(server, "GET", "/api/v1/audit?resource=" + id, null).body());
        if (!entries.toString().contains("item.create")) {
            problems.add(sent.surface() + " upload " + name + " has no item.create entry in the audit log");
        }
        if (sent.surface().equals(CrashUploads.STOW)) {
            HttpResponse<String> found = send(server, "GET", "/dicom-web/instances?SOPInstanceUID="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
            if (found.statusCode() != 200 || !found.body().contains(name)) {
                problems.add("STOW instance " + name + " is stored but QIDO-RS does not find it");
            }
        }
    }

    private static JsonNode bySha(Map<String, JsonNode> items, String sha256) {
        return items.values().stream().filter(i -> i.get("files").get(0).get("sha256").asText().equals(sha256))
                .findFirst().orElse(null);
    }

    /** A folder's items by name, all pages. */
    private Map<String, JsonNode> items(ServerProcess server, String folderId) throws Exception {
        Map<String, JsonNode> items = new HashMap<>();
        for (int offset = 0; ; offset += 1000) {
            HttpResponse<String> answer = send(server, "GET", "/api/v1/folders/" + folderId
                    + "/children?limit=1000&offset=" + offset, null);
            if (answer.statusCode() != 200) {
                throw new IOException("listing the uploads answered " + answer.statusCode() + ": " + answer.body());
            }
            JsonNode page = JSON.readTree(answer.body());
            page.get("items").forEach(item -> items.put(item.get("name").asText(), item));
            if (offset + 1000 >= page.get("total").asLong()) {
                return items;
            }
        }
    }

    private void print(Round round) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d, killed after %d ms:", round.number(),
                round.killedAfterMillis()));
        round.acknowledgedAndPresent().forEach((surface, count) -> line.append(String.format(Locale.ROOT,
                " %s %d/%d", surface, count[1], count[0])));
        line.append(String.format(Locale.ROOT, " (present/acknowledged); %d unacknowledged in-flight uploads present; "
                + "%d problem(s)", round.inFlightPresent(), round.problems().size()));
        out.println(line);
        round.problems().stream().limit(20).forEach(p -> out.println("  " + p));
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, String json) throws Exception {
        return http.send(request(server, method, path, json).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(ServerProcess server, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (Arca.ADMIN_LOGIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return request;
    }
}
