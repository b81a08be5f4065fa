package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arca.core.Eventually;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arca command line, run as an operator would, against a real data folder. */
class LauncherTest {

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void configure() throws IOException {
        config = dir.resolve("arca.yaml");
        Files.writeString(config, "data-dir: " + dir.resolve("data") + "\nhttp-port: 0\nhttp-host: 127.0.0.1\nsftp-port: 0\n");
    }

    /** Runs the launcher and returns exit code and what it printed. */
    private Result arca(String... args) {
        PrintStream savedOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new picocli.CommandLine(new Launcher())
                    .setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8))
                    .setErr(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8))
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        cmd.getErr().println("arca: " + e.getMessage());
                        return 1;
                    })
                    .execute(full);
        } finally {
            System.setOut(savedOut);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    record Result(int code, String output) {
    }

    private Repository open() {
        return Arca.builder().configure(ArcaConfig.load(config, Map.of())).openRepository();
    }

    @Test
    void usersAreAddedListedChangedAndDisabled() {
        assertThat(arca("user", "add", "carol", "--email", "carol@example.org", "--password=first password", "--role", "curator").code())
                .isZero();
        assertThat(arca("user", "add", "carol", "--email", "c@example.org", "--password=first password").output())
                .contains("is taken");
        assertThat(arca("user", "list").output()).contains("carol").contains("active").contains("curator");
        assertThat(arca("user", "passwd", "carol", "--password=second password").code()).isZero();
        try (Repository repo = open()) {
            assertThat(repo.authentication().password("carol", "second password").login()).isEqualTo("carol");
        }
        assertThat(arca("user", "disable", "carol").code()).isZero();
        assertThat(arca("user", "list").output()).contains("disabled");
    }

    @Test
    void aTokenFromTheCommandLineOpensTheApi() throws Exception {
        arca("user", "add", "dave", "--email", "dave@example.org", "--password=dave password");
        Result token = arca("token", "create", "dave", "--days", "1");
        assertThat(token.code()).isZero();
        String secret = token.output().strip();
        try (Arca arca = Arca.builder().configure(ArcaConfig.load(config, Map.of())).adminPassword("admin password").start()) {
            HttpResponse<String> me = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + arca.httpPort() + "/api/v1/users/me"))
                    .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("\"login\":\"dave\"");
        }
    }

    @Test
    void verifyAndAuditVerifyFindTampering() throws Exception {
        String sha;
        try (Repository repo = open()) {
            repo.accounts().create(Caller.SYSTEM, new org.arca.core.accounts.Accounts.NewUser("erin", "erin password", "e@example.org",
                    null, null, java.util.Set.of()));
            Caller erin = repo.authentication().password("erin", "erin password");
            var c = repo.folders().createCollection(erin, "Verified", null);
            byte[] bytes = "original".getBytes(StandardCharsets.UTF_8);
            Item item = repo.items().upload(erin, c.id(), "a.txt", "text/plain", new java.io.ByteArrayInputStream(bytes),
                    bytes.length, false);
            sha = item.primaryFile().sha256();
        }
        assertThat(arca("verify").output()).contains("1 blobs checked, 0 changed, 0 missing");
        assertThat(arca("audit", "verify").output()).contains("intact");

        Files.writeString(dir.resolve("data/blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha), "changed");
        Result verify = arca("verify");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.output()).contains("changed: " + sha);

        try (Repository repo = open()) {
            repo.database().dsl().execute("UPDATE audit_log SET actor = 'someone else' WHERE action = 'item.create'");
        }
        Result audit = arca("audit", "verify");
        assertThat(audit.code()).isEqualTo(1);
        assertThat(audit.output()).contains("was modified").contains("TAMPERED");
    }

    @Test
    void uploadsAreFoundByTheirWordsAndReindexRebuildsTheIndexFromTheDatabase() throws Exception {
        try (Repository repo = open()) {
            repo.accounts().create(Caller.SYSTEM, new org.arca.core.accounts.Accounts.NewUser("gus", "gus password", "g@example.org",
                    null, null, java.util.Set.of()));
            Caller gus = repo.authentication().password("gus", "gus password");
            var c = repo.folders().createCollection(gus, "Indexed", null);
            byte[] bytes = "The pancreas was normal.".getBytes(StandardCharsets.UTF_8);
            repo.items().upload(gus, c.id(), "finding.txt", "text/plain", new java.io.ByteArrayInputStream(bytes), bytes.length, false);
            // Extraction runs in a worker process after the upload: wait for its words to become searchable.
            long found = Eventually.until("the extracted words to be searchable", () -> {
                long total = repo.search(gus, org.arca.core.search.SearchQuery.of("pancreas")).total();
                return total > 0 ? total : null;
            });
            assertThat(found).isEqualTo(1);
        }
        org.arca.preview.ExtractionLimits.defaults(); // the module is on the class path, as the launcher has it
        Path index = dir.resolve("data/search");
        try (var files = Files.walk(index)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Result reindex = arca("reindex");
        assertThat(reindex.code()).as(reindex.output()).isZero();
        assertThat(reindex.output()).contains("search index rebuilt: 2 documents");
        try (Repository repo = open()) {
            repo.searchIndex().awaitQueued();
            Caller gus = repo.authentication().password("gus", "gus password");
            assertThat(repo.search(gus, org.arca.core.search.SearchQuery.of("pancreas")).hits())
                    .extracting(org.arca.core.search.SearchResult.Hit::name).containsExactly("finding.txt");
        }
    }

    @Test
    void gcRemovesExpiredSftpPartialUploadsAndKeepsResumableOnes() throws IOException {
        open().close();
        Path partial = Files.createDirectories(dir.resolve("data").resolve("sftp").resolve("partial"));
        java.nio.file.attribute.FileTime dayAndAHourAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(25)));
        Path expired = Files.setLastModifiedTime(Files.writeString(partial.resolve("expired.part"), "bytes"), dayAndAHourAgo);
        Path expiredMeta = Files.setLastModifiedTime(Files.writeString(partial.resolve("expired.meta"), "u\nf\nn"), dayAndAHourAgo);
        Path resumable = Files.writeString(partial.resolve("resumable.part"), "bytes");

        assertThat(arca("gc", "--grace-hours", "0").output()).contains("2 temporary files of unfinished uploads deleted");
        assertThat(expired).doesNotExist();
        assertThat(expiredMeta).doesNotExist();
        assertThat(resumable).exists();
    }

    @Test
    void gcRemovesOnlyUnreferencedBlobs() {
        try (Repository repo = open()) {
            repo.accounts().create(Caller.SYSTEM, new org.arca.core.accounts.Accounts.NewUser("fay", "fay password", "f@example.org",
                    null, null, java.util.Set.of()));
            Caller fay = repo.authentication().password("fay", "fay password");
            var c = repo.folders().createCollection(fay, "Collected", null);
            byte[] bytes = "garbage".getBytes(StandardCharsets.UTF_8);
            Item item = repo.items().upload(fay, c.id(), "g.txt", null, new java.io.ByteArrayInputStream(bytes), bytes.length, false);
            repo.items().delete(fay, item.id());
        }
        assertThat(arca("gc", "--grace-hours", "0").output()).contains("1 blobs deleted, 7 bytes freed");
        assertThat(arca("gc", "--grace-hours", "0").output()).contains("0 blobs deleted");
    }

    @Test
    void gcDeletesCachedMetadataOfCollectedInstances() throws Exception {
        Path dicom = Path.of("../dicomweb/src/test/resources/corpus/charset_cyrillic.dcm");
        Path cacheFile;
        try (Repository repo = open()) {
            repo.accounts().create(Caller.SYSTEM, new org.arca.core.accounts.Accounts.NewUser("gil", "gil password", "g@example.org",
                    null, null, java.util.Set.of()));
            Caller gil = repo.authentication().password("gil", "gil password");
            var c = repo.folders().createCollection(gil, "Scans", null);
            Item kept = repo.items().upload(gil, c.id(), "kept.dcm", "application/dicom", Files.newInputStream(dicom),
                    Files.size(dicom), false);
            Item gone = repo.items().upload(gil, c.id(), "gone.dcm", "application/dicom",
                    new java.io.ByteArrayInputStream(Files.readAllBytes(dicom.resolveSibling("vrs_bare_implicit.dcm"))), -1, false);
            var cache = org.arca.dicomweb.MetadataCache.in(repo.blobs(), dir.resolve("data"));
            var bytes = repo.bytes().read(gil, java.util.List.of(kept.primaryFile().sha256(), gone.primaryFile().sha256()),
                    org.arca.core.StoredBytes.Audit.partOf("test"));
            cache.write(bytes, kept.primaryFile().sha256(), "https://arca/i", new java.io.StringWriter());
            cache.write(bytes, gone.primaryFile().sha256(), "https://arca/i", new java.io.StringWriter());
            cache.flush();
            String sha = gone.primaryFile().sha256();
            cacheFile = dir.resolve("data/cache/dicom-metadata/v1").resolve(sha.substring(0, 2)).resolve(sha + ".json");
            assertThat(cacheFile).exists();
            repo.items().delete(gil, gone.id());
        }
        assertThat(arca("gc", "--grace-hours", "0").output()).contains("1 blobs deleted").contains(", 1 cached DICOM metadata");
        assertThat(cacheFile).doesNotExist();
        assertThat(arca("gc", "--grace-hours", "0").output()).contains(", 0 cached DICOM metadata");
    }

    @Test
    void dicomJsonPrintsTheDatasetOfAFile() throws Exception {
        Path corpus = Path.of("../dicomweb/src/test/resources/corpus");
        Path file;
        try (var files = Files.list(corpus)) {
            file = files.filter(p -> p.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
        }
        Result json = arca("dicom", "json", file.toString());
        assertThat(json.code()).isZero();
        assertThat(json.output()).contains("\"vr\"");
        assertThat(arca("dicom", "json", config.toString()).code()).isEqualTo(1);
    }
}
