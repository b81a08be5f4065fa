package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpException;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.IngestStep;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.accounts.LoginThrottle;
import org.arca.core.accounts.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SFTP server driven by the real OpenSSH client (and MINA's where OpenSSH cannot script). */
class SftpBridgeTest {

    @TempDir
    static Path work;

    static TestRepository repo;
    static SftpServer server;
    static OpenSshClient ssh;
    static MinaClient mina;
    static Folder trial;
    static Folder secret;
    static Caller alice;

    @BeforeAll
    static void start() {
        // A wait of a minute after the free failures: however slow the machine, the throttle test's last try falls
        // inside it (with the default second, a loaded machine's slow client outlived the wait).
        repo = new TestRepository(TestDatabases.Kind.H2, c -> c.withLoginThrottle(new LoginThrottle.Policy(3,
                Duration.ofMinutes(1), Duration.ofMinutes(15), 20, Duration.ofSeconds(30), Duration.ofHours(1))));
        // An ingest rule for one test: names ending in .bad are refused, whatever surface sends them.
        repo.repo().ingest().addStep("test-rule", arrival -> arrival.name().endsWith(".bad")
                ? IngestStep.refuse("The upload breaks the collection's rule.", List.of("name ends in .bad"))
                : IngestStep.accept());
        server = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1"));
        ssh = new OpenSshClient(work, server.port());
        mina = new MinaClient();
        alice = repo.user("alice");
        repo.user("bob");
        repo.user("carol");
        trial = repo.repo().folders().createCollection(Caller.SYSTEM, "Trial", "");
        repo.repo().access().setAcl(Caller.SYSTEM, trial.id(), List.of(new AclEntry("user:alice", AccessLevel.WRITE),
                new AclEntry("user:bob", AccessLevel.WRITE), new AclEntry("user:carol", AccessLevel.READ)));
        secret = repo.repo().folders().createCollection(Caller.SYSTEM, "Secret", "");
        repo.upload(Caller.SYSTEM, secret.id(), "plan.txt", "hidden");
        PublicKeyLine key = PublicKeyLine.parse(ssh.newKey("alice_key"));
        repo.repo().publicKeys().add(alice, "laptop", key.type(), key.data(), key.fingerprint());
    }

    @AfterAll
    static void stop() {
        mina.close();
        server.close();
        repo.close();
    }

    @Test
    void theRootHoldsCollectionsAndHomeAndNothingHidden() {
        OpenSshClient.Result root = ssh.withKey("alice_key", "alice", "ls -1 /", "ls -1 /collections");
        assertThat(root.ok()).as(root.toString()).isTrue();
        assertThat(root.out()).contains("collections", "home", "Trial", "Home of alice").doesNotContain("Secret");
        assertThat(ssh.withKey("alice_key", "alice", "ls /collections/Secret").ok()).isFalse();
        assertThat(ssh.withKey("alice_key", "alice", "get /collections/Secret/plan.txt " + work.resolve("x")).ok()).isFalse();
    }

    @Test
    void aTreeOfMixedSizesGoesUpAndComesBackTheSame() throws Exception {
        Path up = work.resolve("tree-up");
        Random random = new Random(7);
        int[] sizes = {0, 1, 4095, 32768, 100_000, 3 << 20};
        for (int i = 0; i < sizes.length; i++) {
            Path file = up.resolve(i % 2 == 0 ? "a" : "b/c").resolve("f" + i + ".bin");
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[sizes[i]];
            random.nextBytes(bytes);
            Files.write(file, bytes);
        }
        Path down = work.resolve("tree-down");
        OpenSshClient.Result result = ssh.withKey("alice_key", "alice", "put -R " + up + " /collections/Trial/tree",
                "get -R /collections/Trial/tree " + down, "ls -l /collections/Trial/tree/b/c");
        assertThat(result.ok()).as(result.toString()).isTrue();
        for (int i = 0; i < sizes.length; i++) {
            String relative = (i % 2 == 0 ? "a" : "b/c") + "/f" + i + ".bin";
            assertThat(Files.readAllBytes(down.resolve(relative))).isEqualTo(Files.readAllBytes(up.resolve(relative)));
        }
        assertThat(result.out()).contains(Integer.toString(3 << 20)).contains("f5.bin");
        Folder tree = repo.repo().folders().find(alice, trial.id(), "tree").orElseThrow();
        Folder a = repo.repo().folders().find(alice, tree.id(), "a").orElseThrow();
        Item item = repo.repo().items().find(alice, a.id(), "f4.bin").orElseThrow();
        assertThat(item.size()).isEqualTo(100_000);
        // Hashed on the way in: the address the item names is the SHA-256 of what was sent, and holds those bytes.
        for (int i : new int[] {0, 2, 4}) {
            Item stored = repo.repo().items().find(alice, a.id(), "f" + i + ".bin").orElseThrow();
            byte[] sent = Files.readAllBytes(up.resolve("a/f" + i + ".bin"));
            assertThat(stored.primaryFile().sha256()).isEqualTo(sha256(sent));
            assertThat(Files.readAllBytes(repo.repo().items().content(alice, stored.id(), null).path())).isEqualTo(sent);
        }
        assertThat(auditActions()).contains("item.create", "folder.create", "item.download");
        assertThat(partials()).isEmpty();
    }

    @Test
    void anUploadAnIngestRuleRefusesFailsOnCloseAndLeavesNothing() throws IOException {
        Path file = work.resolve("notes.bad");
        Files.writeString(file, "refused");
        OpenSshClient.Result result = ssh.withKey("alice_key", "alice", "put " + file + " /collections/Trial/notes.bad");
        assertThat(result.ok()).as(result.toString()).isFalse();
        // OpenSSH's client shows the status, not the server's message (which carries the reasons).
        assertThat(result.toString()).contains("close remote: Failure");
        assertThat(repo.repo().items().find(alice, trial.id(), "notes.bad")).isEmpty();
        assertThat(partials()).isEmpty();
    }

    @Test
    void everyEscapeIsRefused() throws IOException {
        Path local = Files.writeString(work.resolve("evil.txt"), "evil");
        String longName = "n".repeat(300);
        String deep = "/collections/Trial/" + String.join("/", java.util.Collections.nCopies(70, "d"));
        for (String command : List.of("get ../../../../etc/passwd " + work.resolve("p1"), "get /etc/passwd " + work.resolve("p2"),
                "ls /tmp", "put " + local + " /etc/evil", "put " + local + " ../../../tmp/evil",
                "put " + local + " /evil", "put " + local + " /collections/evil",
                "symlink /collections/Trial /collections/Trial/link", "ln /collections/Trial /home/link",
                "put " + local + " \"/collections/Trial/a\\\\b\"", "put " + local + " /collections/Trial/" + longName,
                "mkdir " + deep, "put " + local + " /collections/Secret/evil.txt", "rename /home /collections/Trial/h")) {
            OpenSshClient.Result result = ssh.withKey("alice_key", "alice", command);
            assertThat(result.ok()).as(command + " -> " + result).isFalse();
        }
        // An encoded separator is a plain character: the file lands in Trial under that literal name, nowhere else.
        assertThat(ssh.withKey("alice_key", "alice", "put " + local + " /collections/Trial/..%2F..%2Fescaped").ok()).isTrue();
        assertThat(repo.repo().items().find(alice, trial.id(), "..%2F..%2Fescaped")).isPresent();
        assertThat(Files.exists(Path.of("/tmp/evil"))).isFalse();
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            for (String name : List.of("bad\u0001name", "line\nbreak", "nul\u0000x", "tab\tname")) {
                assertThatThrownBy(() -> write(sftp, "/collections/Trial/" + name, "x")).as(name).isInstanceOf(IOException.class);
            }
            assertThatThrownBy(() -> sftp.symLink("/collections/Trial/link", "/etc/passwd")).isInstanceOf(SftpException.class);
        }
        assertThat(repo.repo().folders().children(alice, trial.id(), 1000, 0).items()).extracting(Item::name)
                .noneMatch(n -> n.contains("evil") || n.contains("\\") || n.startsWith("bad") || n.startsWith("n"));
        assertThat(partials()).isEmpty();
    }

    @Test
    void anAclChangeTakesEffectOnTheNextOperation() throws Exception {
        Folder shared = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "acl-shared", null);
        repo.upload(Caller.SYSTEM, shared.id(), "one.txt", "first");
        try (ClientSession session = mina.session(server.port(), "carol", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            assertThat(read(sftp, "/collections/Trial/acl-shared/one.txt")).isEqualTo("first");
            assertThatThrownBy(() -> write(sftp, "/collections/Trial/acl-shared/two.txt", "x"))
                    .isInstanceOf(SftpException.class).hasMessageContaining("ermission");
            repo.repo().access().setAcl(Caller.SYSTEM, shared.id(), List.of(new AclEntry("user:carol", AccessLevel.WRITE)));
            write(sftp, "/collections/Trial/acl-shared/two.txt", "second");
            // The session sees its own upload at once; the repository has it by then.
            assertThat(sftp.stat("/collections/Trial/acl-shared/two.txt").getSize()).isEqualTo(6);
            assertThat(repo.repo().items().find(Caller.SYSTEM, shared.id(), "two.txt")).isPresent();
            repo.repo().access().setAcl(Caller.SYSTEM, trial.id(), List.of(new AclEntry("user:alice", AccessLevel.WRITE),
                    new AclEntry("user:bob", AccessLevel.WRITE)));
            repo.repo().access().setAcl(Caller.SYSTEM, shared.id(), List.of());
            assertThatThrownBy(() -> read(sftp, "/collections/Trial/acl-shared/one.txt")).isInstanceOf(SftpException.class)
                    .hasMessageContaining("No such file");
        } finally {
            repo.repo().access().setAcl(Caller.SYSTEM, trial.id(), List.of(new AclEntry("user:alice", AccessLevel.WRITE),
                    new AclEntry("user:bob", AccessLevel.WRITE), new AclEntry("user:carol", AccessLevel.READ)));
        }
    }

    @Test
    void uploadsFollowAFolderRenamedMovedOrDeletedBetweenThem() throws Exception {
        Folder site = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "path-site", null);
        Folder other = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "path-other", null);
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            write(sftp, "/collections/Trial/path-site/one.txt", "1");
            repo.repo().folders().update(Caller.SYSTEM, site.id(), "path-renamed", null);
            assertThatThrownBy(() -> write(sftp, "/collections/Trial/path-site/two.txt", "2"))
                    .isInstanceOf(SftpException.class).hasMessageContaining("No such file");
            write(sftp, "/collections/Trial/path-renamed/two.txt", "2");
            repo.repo().folders().move(Caller.SYSTEM, site.id(), other.id());
            assertThatThrownBy(() -> write(sftp, "/collections/Trial/path-renamed/three.txt", "3"))
                    .isInstanceOf(SftpException.class).hasMessageContaining("No such file");
            write(sftp, "/collections/Trial/path-other/path-renamed/three.txt", "3");
            // A request of the session after the close: by then the repository holds the upload.
            assertThat(sftp.stat("/collections/Trial/path-other/path-renamed/three.txt").getSize()).isEqualTo(1);
            assertThat(repo.repo().folders().children(Caller.SYSTEM, site.id(), 10, 0).items())
                    .extracting(Item::name).containsExactly("one.txt", "three.txt", "two.txt");
            repo.repo().folders().delete(Caller.SYSTEM, site.id(), true);
            assertThatThrownBy(() -> write(sftp, "/collections/Trial/path-other/path-renamed/four.txt", "4"))
                    .isInstanceOf(SftpException.class).hasMessageContaining("No such file");
        }
        assertThat(repo.repo().folders().children(Caller.SYSTEM, other.id(), 10, 0).total()).isZero();
    }

    @Test
    void aCloseAnsweredOkMeansTheItemIsCommitted() throws Exception {
        Folder acked = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "acked", null);
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            for (int i = 0; i < 20; i++) {
                String name = "ack-" + i + ".txt";
                SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/acked/" + name,
                        EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
                sftp.write(handle, 0, name.getBytes(StandardCharsets.UTF_8), 0, name.length());
                sftp.close(handle);
                // Asked of the repository, not the session: nothing of the session runs in between.
                assertThat(repo.repo().items().find(Caller.SYSTEM, acked.id(), name)).as(name).isPresent()
                        .get().extracting(Item::size).isEqualTo((long) name.length());
            }
        }
        assertThat(partials()).isEmpty();
    }

    @Test
    void anUploadRefusedAtItsCloseFailsThatCloseWithTheReasonAndLeavesNothing() throws Exception {
        Folder closing = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "closing", null);
        repo.repo().access().setAcl(Caller.SYSTEM, closing.id(), List.of(new AclEntry("user:carol", AccessLevel.WRITE)));
        try (ClientSession session = mina.session(server.port(), "carol", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/closing/late.txt",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
            sftp.write(handle, 0, "late".getBytes(StandardCharsets.UTF_8), 0, 4);
            // Carol's write access ends while her file is open; her READ on the collection stays.
            repo.repo().access().setAcl(Caller.SYSTEM, closing.id(), List.of());
            assertThatThrownBy(() -> sftp.close(handle))
                    .isInstanceOf(SftpException.class).hasMessageContaining("the upload was not stored")
                    .hasMessageContaining("late.txt").hasMessageNotContaining("SQL");
            // The session goes on.
            assertThat(sftp.stat("/collections/Trial").isDirectory()).isTrue();
        }
        assertThat(repo.repo().items().find(Caller.SYSTEM, closing.id(), "late.txt")).isEmpty();
        assertThat(partials()).isEmpty();
    }

    @Test
    void settingASizeOnAStoredFileStoresTheResizedFileAndLeavesNoGhost() throws Exception {
        Folder sized = repo.repo().folders().create(Caller.SYSTEM, trial.id(), "sized", null);
        repo.upload(alice, sized.id(), "data.txt", "0123456789".repeat(10));
        // A new upload of the same name, cut off: it waits hidden behind the stored file.
        ClientSession cut = mina.session(server.port(), "alice", TestRepository.PASSWORD);
        SftpClient cutSftp = mina.sftp(cut);
        SftpClient.CloseableHandle cutHandle = cutSftp.open("/collections/Trial/sized/data.txt",
                EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
        cutSftp.write(cutHandle, 0, "zzzzzzzzzzzz".getBytes(StandardCharsets.UTF_8), 0, 12);
        cut.close(true);
        assertThat(partialsOnceThere(2)).hasSize(2);
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            sftp.setStat("/collections/Trial/sized/data.txt", new SftpClient.Attributes().size(10));
            Item item = repo.repo().items().find(alice, sized.id(), "data.txt").orElseThrow();
            assertThat(Files.readString(repo.repo().items().content(alice, item.id(), null).path())).isEqualTo("0123456789");
            sftp.setStat("/collections/Trial/sized/data.txt", new SftpClient.Attributes().size(0));
            assertThat(repo.repo().items().find(alice, sized.id(), "data.txt").orElseThrow().size()).isZero();
            // Through an open handle, as sshfs truncates: the upload under way is resized.
            SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/sized/data.txt",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create));
            sftp.write(handle, 0, "abcdefghij".getBytes(StandardCharsets.UTF_8), 0, 10);
            sftp.setStat(handle, new SftpClient.Attributes().size(4));
            sftp.close(handle);
        }
        assertThat(partials()).isEmpty();
        OpenSshClient.Result ls = ssh.withPassword(TestRepository.PASSWORD, "alice", "ls -l /collections/Trial/sized");
        assertThat(ls.ok()).as(ls.toString()).isTrue();
        assertThat(ls.out().lines().filter(l -> l.contains("data.txt")).toList()).singleElement().asString().contains(" 4 ");
        Item item = repo.repo().items().find(alice, sized.id(), "data.txt").orElseThrow();
        assertThat(Files.readString(repo.repo().items().content(alice, item.id(), null).path())).isEqualTo("abcd");
    }

    @Test
    void settingASizeOnAnUnfinishedUploadKeepsItUnfinishedAndRmdirTakesIt() throws Exception {
        repo.repo().folders().create(Caller.SYSTEM, trial.id(), "unfinished", null);
        ClientSession cut = mina.session(server.port(), "alice", TestRepository.PASSWORD);
        SftpClient cutSftp = mina.sftp(cut);
        SftpClient.CloseableHandle handle = cutSftp.open("/collections/Trial/unfinished/part.bin",
                EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
        cutSftp.write(handle, 0, new byte[100], 0, 100);
        cut.close(true); // dropped: the bytes wait for a resume
        assertThat(partialsOnceThere(2)).hasSize(2);
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            sftp.setStat("/collections/Trial/unfinished/part.bin", new SftpClient.Attributes().size(40));
            assertThat(sftp.stat("/collections/Trial/unfinished/part.bin").getSize()).isEqualTo(40);
        }
        Folder unfinished = repo.repo().folders().find(alice, trial.id(), "unfinished").orElseThrow();
        assertThat(repo.repo().items().find(alice, unfinished.id(), "part.bin")).isEmpty();
        OpenSshClient.Result rmdir = ssh.withPassword(TestRepository.PASSWORD, "alice", "rmdir /collections/Trial/unfinished");
        assertThat(rmdir.ok()).as(rmdir.toString()).isTrue();
        assertThat(partials()).isEmpty();
    }

    @Test
    void aCutOffUploadLeavesNoItemAndResumesWithReput() throws Exception {
        byte[] bytes = new byte[3 << 20];
        new Random(11).nextBytes(bytes);
        Path local = Files.write(work.resolve("resume.bin"), bytes);
        ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
        SftpClient sftp = mina.sftp(session);
        SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/resume.bin",
                EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
        sftp.write(handle, 0, bytes, 0, 1 << 20);
        session.close(true); // the connection drops without closing the handle

        assertThat(repo.repo().items().find(alice, trial.id(), "resume.bin")).isEmpty();
        // The bytes and their description, written when the server has closed the dropped session's handle.
        assertThat(partialsOnceThere(2)).hasSize(2);
        OpenSshClient.Result ls = ssh.withKey("alice_key", "alice", "ls -l /collections/Trial/resume.bin");
        assertThat(ls.out()).contains(Integer.toString(1 << 20));
        // Others do not see it.
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "bob", "ls -l /collections/Trial/resume.bin").ok()).isFalse();

        OpenSshClient.Result reput = ssh.withKey("alice_key", "alice", "reput " + local + " /collections/Trial/resume.bin");
        assertThat(reput.ok()).as(reput.toString()).isTrue();
        Item item = repo.repo().items().find(alice, trial.id(), "resume.bin").orElseThrow();
        // The resumed handle saw only the tail, so the whole file was hashed from disk: the address must still be right.
        assertThat(item.primaryFile().sha256()).isEqualTo(sha256(bytes));
        assertThat(Files.readAllBytes(repo.repo().items().content(alice, item.id(), null).path())).isEqualTo(bytes);
        assertThat(partials()).isEmpty();
    }

    @Test
    void writesOutOfOrderAreStoredUnderTheirRealHash() throws Exception {
        byte[] bytes = new byte[200_000];
        new Random(13).nextBytes(bytes);
        try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            try (SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/shuffled.bin",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
                sftp.write(handle, 100_000, bytes, 100_000, 100_000);
                sftp.write(handle, 0, bytes, 0, 100_000);
            }
            // Rewriting the start of a finished file in place (no truncation) keeps its tail.
            try (SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/rewritten.bin",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
                sftp.write(handle, 0, bytes, 0, bytes.length);
            }
            try (SftpClient.CloseableHandle handle = sftp.open("/collections/Trial/rewritten.bin",
                    EnumSet.of(SftpClient.OpenMode.Write))) {
                sftp.write(handle, 0, new byte[10], 0, 10);
            }
            // MINA's client closes the channel without waiting for the server: ask within the session, which
            // waits for its uploads to be stored.
            assertThat(sftp.stat("/collections/Trial/rewritten.bin").getSize()).isEqualTo(bytes.length);
        }
        Item shuffled = repo.repo().items().find(alice, trial.id(), "shuffled.bin").orElseThrow();
        assertThat(shuffled.primaryFile().sha256()).isEqualTo(sha256(bytes));
        byte[] expected = bytes.clone();
        java.util.Arrays.fill(expected, 0, 10, (byte) 0);
        Item rewritten = repo.repo().items().find(alice, trial.id(), "rewritten.bin").orElseThrow();
        assertThat(rewritten.primaryFile().sha256()).isEqualTo(sha256(expected));
        assertThat(Files.readAllBytes(repo.repo().items().content(alice, rewritten.id(), null).path())).isEqualTo(expected);
        assertThat(partials()).isEmpty();
    }

    @Test
    void twoUsersUploadIntoOneFolderAtOnce() throws Exception {
        repo.repo().folders().create(Caller.SYSTEM, trial.id(), "together", null);
        List<Path> files = Stream.of("alice", "bob").flatMap(who -> Stream.of(1, 2, 3, 4).map(n -> {
            try {
                return Files.writeString(work.resolve(who + n + ".txt"), who + " " + n + " ".repeat(n * 5000));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).toList();
        CompletableFuture<OpenSshClient.Result> a = CompletableFuture.supplyAsync(() -> ssh.withKey("alice_key", "alice",
                files.stream().filter(f -> f.getFileName().toString().startsWith("alice"))
                        .map(f -> "put " + f + " /collections/Trial/together/").toArray(String[]::new)));
        CompletableFuture<OpenSshClient.Result> b = CompletableFuture.supplyAsync(() -> ssh.withPassword(TestRepository.PASSWORD,
                "bob", files.stream().filter(f -> f.getFileName().toString().startsWith("bob"))
                        .map(f -> "put " + f + " /collections/Trial/together/").toArray(String[]::new)));
        assertThat(a.get().ok()).as(a.get().toString()).isTrue();
        assertThat(b.get().ok()).as(b.get().toString()).isTrue();
        Folder together = repo.repo().folders().find(alice, trial.id(), "together").orElseThrow();
        for (Path file : files) {
            Item item = repo.repo().items().find(alice, together.id(), file.getFileName().toString()).orElseThrow();
            assertThat(Files.readString(repo.repo().items().content(alice, item.id(), null).path()))
                    .isEqualTo(Files.readString(file));
        }
    }

    @Test
    void passwordsTokensAndKeysSignInDisabledAccountsDoNot() {
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "alice", "ls /").ok()).isTrue();
        assertThat(ssh.withPassword("wrong password", "alice", "ls /").ok()).isFalse();
        String token = repo.repo().authentication().createToken(alice, "sftp", null).secret();
        assertThat(ssh.withPassword(token, "alice", "ls /").ok()).isTrue();
        assertThat(ssh.withPassword(token, "bob", "ls /").ok()).as("someone else's token").isFalse();
        assertThat(ssh.withKey("alice_key", "bob", "ls /").ok()).as("alice's key for bob").isFalse();

        repo.user("dave");
        PublicKeyLine key = PublicKeyLine.parse(ssh.newKey("dave_key"));
        repo.repo().publicKeys().add(repo.caller("dave"), "k", key.type(), key.data(), key.fingerprint());
        assertThat(ssh.withKey("dave_key", "dave", "ls /").ok()).isTrue();
        repo.repo().accounts().setStatus(Caller.SYSTEM, "dave", User.Status.DISABLED);
        assertThat(ssh.withKey("dave_key", "dave", "ls /").ok()).isFalse();
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "dave", "ls /").ok()).isFalse();
    }

    @Test
    void repeatedFailuresAreThrottled() {
        repo.user("erin");
        for (int i = 0; i < 5; i++) {
            assertThat(ssh.withPassword("not it " + i, "erin", "ls /").ok()).isFalse();
        }
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "erin", "ls /").ok()).as("locked for now").isFalse();
    }

    @Test
    void clientsNegotiateAesAndChachaIsNotOffered() {
        OpenSshClient.Result defaults = ssh.withKey("alice_key", "alice", List.of("-v"), "ls /");
        assertThat(defaults.ok()).as(defaults.toString()).isTrue();
        // OpenSSH's own order (chacha20 first, then the CTR ciphers, then umac, which MINA lacks) lands here.
        assertThat(defaults.err()).contains("kex: client->server cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com")
                .contains("kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com");
        OpenSshClient.Result gcm = ssh.withKey("alice_key", "alice", List.of("-v", "-c", "aes256-gcm@openssh.com"), "ls /");
        assertThat(gcm.ok()).as(gcm.toString()).isTrue();
        assertThat(gcm.err()).contains("cipher: aes256-gcm@openssh.com MAC: <implicit>");
        OpenSshClient.Result chacha = ssh.withKey("alice_key", "alice", List.of("-c", "chacha20-poly1305@openssh.com"), "ls /");
        assertThat(chacha.ok()).as(chacha.toString()).isFalse();
        OpenSshClient.Result sha1 = ssh.withKey("alice_key", "alice", List.of("-c", "aes128-ctr", "-o", "MACs=hmac-sha1"), "ls /");
        assertThat(sha1.ok()).as(sha1.toString()).isFalse();
    }

    @Test
    void openSshIsGrantedTheWindowArcaIsTunedFor() {
        // Several of OpenSSH's 255 KiB writes in flight, but not so many bytes that its client stalls buffering
        // them (FlowControl): MINA's defaults must not have replaced the setting.
        OpenSshClient.Result opened = ssh.withKey("alice_key", "alice", List.of("-vv"), "ls /");
        assertThat(opened.ok()).as(opened.toString()).isTrue();
        Matcher window = Pattern.compile("channel \\d+: open confirm rwindow (\\d+)").matcher(opened.err());
        assertThat(window.find()).as(opened.err()).isTrue();
        assertThat(Long.parseLong(window.group(1))).isEqualTo(FlowControl.WINDOW_BYTES)
                .isGreaterThanOrEqualTo(8L * 255 * 1024);
    }

    @Test
    void dfShowsTheDataFoldersSpace() throws IOException {
        OpenSshClient.Result df = ssh.withKey("alice_key", "alice", "df", "cd /collections/Trial", "df -h");
        assertThat(df.ok()).as(df.toString()).isTrue();
        java.nio.file.FileStore store = Files.getFileStore(repo.dataDir());
        // "df" prints sizes in KiB: Size Used Avail (root) %Capacity; the total must be the data folder's.
        java.util.regex.Matcher kib = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)%")
                .matcher(df.out());
        assertThat(kib.find()).as(df.out()).isTrue();
        assertThat(Long.parseLong(kib.group(1))).isEqualTo(store.getTotalSpace() / 1024);
        // Free space moves with whatever else writes to the disk meanwhile, so only its range is certain.
        assertThat(Long.parseLong(kib.group(3))).isPositive().isLessThanOrEqualTo(Long.parseLong(kib.group(1)));
        // "df -h" prints the same with units, e.g. "   252GB   24.0GB   77.4GB    228GB    9%".
        assertThat(df.out()).containsPattern("(?m)^\\s*[0-9.]+[KMGTPE]?B\\s+[0-9.]+[KMGTPE]?B\\s+[0-9.]+[KMGTPE]?B");
        assertThat(ssh.withKey("alice_key", "alice", "df /collections/Secret").ok()).as("a hidden folder").isFalse();
    }

    @Test
    void theHostKeyIsKeptAcrossRestartsAndIsTheOneClientsSee() throws Exception {
        Process scan = new ProcessBuilder("sh", "-c", "ssh-keyscan -p " + server.port() + " 127.0.0.1 2>/dev/null | ssh-keygen -lf -")
                .redirectErrorStream(true).start();
        String printed = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(printed).contains(server.hostKeyFingerprint());
        try (SftpServer again = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1"))) {
            assertThat(again.hostKeyFingerprint()).isEqualTo(server.hostKeyFingerprint());
        }
    }

    @Test
    void mkdirRenameRemoveAndStatWorkLikeADisk() throws IOException {
        Path local = Files.writeString(work.resolve("doc.txt"), "document");
        OpenSshClient.Result result = ssh.withKey("alice_key", "alice", "mkdir /collections/Trial/ops",
                "mkdir /collections/Trial/ops/sub", "put " + local + " /collections/Trial/ops/doc.txt",
                "rename /collections/Trial/ops/doc.txt /collections/Trial/ops/sub/renamed.txt",
                "ls -l /collections/Trial/ops/sub");
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).contains("renamed.txt").contains(" alice ").contains("-rw-r--r--");
        Folder ops = repo.repo().folders().find(alice, trial.id(), "ops").orElseThrow();
        Folder sub = repo.repo().folders().find(alice, ops.id(), "sub").orElseThrow();
        assertThat(repo.repo().items().find(alice, sub.id(), "renamed.txt")).isPresent();
        assertThat(ssh.withKey("alice_key", "alice", "rmdir /collections/Trial/ops/sub").ok()).as("not empty").isFalse();
        assertThat(ssh.withKey("alice_key", "alice", "rm /collections/Trial/ops/sub/renamed.txt").ok()).isTrue();
        assertThat(repo.repo().items().find(alice, sub.id(), "renamed.txt")).isEmpty();
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "carol", "rm /collections/Trial/tree/a/f0.bin",
                "mkdir /collections/Trial/carol").ok()).as("READ only").isFalse();
        assertThat(ssh.withPassword(TestRepository.PASSWORD, "carol", "rmdir /collections/Trial/ops/sub").ok()).as("READ only").isFalse();
        // Empty now, and without grants of its own: WRITE (alice's, from the collection) removes it, as on the web.
        OpenSshClient.Result rmdir = ssh.withKey("alice_key", "alice", "rmdir /collections/Trial/ops/sub");
        assertThat(rmdir.ok()).as(rmdir.toString()).isTrue();
        assertThat(repo.repo().folders().find(alice, ops.id(), "sub")).isEmpty();
        assertThat(ssh.withKey("alice_key", "alice", "rmdir /collections/Trial").ok()).as("a collection needs ADMIN").isFalse();
    }

    @Test
    void aUserHoldsNoMoreSessionsThanAllowed() {
        try (SftpServer limited = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1")
                .withLimits(java.time.Duration.ofMinutes(1), 2, java.time.Duration.ofHours(1)));
             ClientSession one = mina.session(limited.port(), "bob", TestRepository.PASSWORD);
             ClientSession two = mina.session(limited.port(), "bob", TestRepository.PASSWORD)) {
            assertThat(one.isAuthenticated() && two.isAuthenticated()).isTrue();
            assertThatThrownBy(() -> mina.session(limited.port(), "bob", TestRepository.PASSWORD).close())
                    .as("a third session").isInstanceOf(Exception.class);
            try (ClientSession other = mina.session(limited.port(), "alice", TestRepository.PASSWORD)) {
                assertThat(other.isAuthenticated()).as("another user is not affected").isTrue();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(SftpClient sftp, String path, String text) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(SftpClient sftp, String path) throws IOException {
        try (var in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The partial files once there are {@code count} of them (the bridge writes them on its own threads). */
    private static List<String> partialsOnceThere(int count) {
        return Eventually.until(count + " partial files", () -> {
            List<String> files = partials();
            return files.size() == count ? files : null;
        });
    }

    private static List<String> partials() throws IOException {
        try (Stream<Path> files = Files.list(repo.dataDir().resolve("sftp/partial"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<String> auditActions() {
        return repo.repo().audit().query(Caller.SYSTEM, "alice", null, null, 1000, 0).entries().stream().map(e -> e.action()).toList();
    }

    @SuppressWarnings("unused")
    private static Optional<Item> item(String folderId, String name) {
        return repo.repo().items().find(Caller.SYSTEM, folderId, name);
    }
}
