package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.sftp.client.SftpClient;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.accounts.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session signed in before its credential was revoked: its next request is refused and the session ends,
 * whichever credential it used and however it was revoked, as a new sign-in would be refused.
 */
class RevokedSignInTest {

    static TestRepository repo;
    static SftpServer server;
    static MinaClient mina;

    @BeforeAll
    static void start() {
        repo = new TestRepository(TestDatabases.Kind.H2);
        server = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1"));
        mina = new MinaClient();
    }

    @AfterAll
    static void stop() {
        mina.close();
        server.close();
        repo.close();
    }

    /** Two sessions held open; after {@code revoke}, one's next listing and the other's next upload fail, and both end. */
    private static void bothSessionsEndAfter(Runnable revoke, SessionOpener open) throws Exception {
        try (ClientSession listing = open.open(); SftpClient listingSftp = mina.sftp(listing);
             ClientSession uploading = open.open(); SftpClient uploadingSftp = mina.sftp(uploading)) {
            assertThat(list(listingSftp, "/home")).isEmpty();
            write(uploadingSftp, "/home/before.txt", "before");

            revoke.run();

            assertThatThrownBy(() -> list(listingSftp, "/home")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> write(uploadingSftp, "/home/after.txt", "after")).isInstanceOf(IOException.class);
            assertThat(listing.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.CLOSED), Duration.ofSeconds(30)))
                    .contains(ClientSession.ClientSessionEvent.CLOSED);
            assertThat(uploading.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.CLOSED), Duration.ofSeconds(30)))
                    .contains(ClientSession.ClientSessionEvent.CLOSED);
        }
    }

    @FunctionalInterface
    private interface SessionOpener {
        ClientSession open();
    }

    @Test
    void aRevokedTokenEndsTheSessionsSignedInWithIt() throws Exception {
        Caller dave = repo.user("dave");
        var token = repo.repo().authentication().createToken(dave, "sftp", null);
        bothSessionsEndAfter(() -> repo.repo().authentication().revokeToken(dave, token.value().id()),
                () -> mina.session(server.port(), "dave", token.secret()));
        assertThat(itemsInHome(dave)).containsExactly("before.txt");
    }

    @Test
    void disablingTheAccountEndsItsSessions() throws Exception {
        Caller erin = repo.user("erin");
        bothSessionsEndAfter(() -> repo.repo().accounts().setStatus(Caller.SYSTEM, "erin", User.Status.DISABLED),
                () -> mina.session(server.port(), "erin", TestRepository.PASSWORD));
        assertThat(itemsInHome(erin)).containsExactly("before.txt");
    }

    @Test
    void aNewPasswordEndsTheSessionsSignedInWithTheOldOne() throws Exception {
        Caller frank = repo.user("frank");
        bothSessionsEndAfter(() -> repo.repo().accounts().setPassword(frank, "frank", "a new and long password"),
                () -> mina.session(server.port(), "frank", TestRepository.PASSWORD));
        try (ClientSession again = mina.session(server.port(), "frank", "a new and long password");
             SftpClient sftp = mina.sftp(again)) {
            assertThat(sftp.stat("/home/before.txt").getSize()).isEqualTo(6);
        }
    }

    @Test
    void removingTheKeyEndsTheSessionsSignedInWithIt() throws Exception {
        Caller gina = repo.user("gina");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        PublicKeyLine line = PublicKeyLine.parse(PublicKeyEntry.toString(pair.getPublic()));
        var key = repo.repo().publicKeys().add(gina, "laptop", line.type(), line.data(), line.fingerprint());
        bothSessionsEndAfter(() -> repo.repo().publicKeys().delete(gina, key.id()),
                () -> mina.session(server.port(), "gina", pair));
        assertThat(itemsInHome(gina)).containsExactly("before.txt");
    }

    @Test
    void anotherUsersChangeLeavesASessionAlone() throws Exception {
        Caller hank = repo.user("hank");
        Caller ivy = repo.user("ivy");
        try (ClientSession session = mina.session(server.port(), "hank", TestRepository.PASSWORD);
             SftpClient sftp = mina.sftp(session)) {
            repo.repo().accounts().setPassword(ivy, "ivy", "another long password");
            write(sftp, "/home/still.txt", "still");
            assertThat(sftp.stat("/home/still.txt").getSize()).isEqualTo(5);
        }
        assertThat(itemsInHome(hank)).containsExactly("still.txt");
    }

    private static List<String> itemsInHome(Caller caller) {
        Folder home = repo.repo().folders().home(caller);
        return repo.repo().folders().children(Caller.SYSTEM, home.id(), 100, 0).items().stream().map(i -> i.name()).toList();
    }

    /** The names in a folder, as {@code ls} lists them: OPENDIR, READDIR until the end, CLOSE. */
    private static List<String> list(SftpClient sftp, String path) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (SftpClient.CloseableHandle dir = sftp.openDir(path)) {
            for (List<SftpClient.DirEntry> page = sftp.readDir(dir); page != null; page = sftp.readDir(dir)) {
                page.stream().map(SftpClient.DirEntry::getFilename).filter(n -> !n.equals(".") && !n.equals(".."))
                        .forEach(names::add);
            }
        }
        return names;
    }

    private static void write(SftpClient sftp, String path, String text) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
