package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Test;

/**
 * The one big test: a file past 4 GiB (offsets beyond 32 bits) goes up and comes down through MINA's client,
 * generated and checked on the fly. The test JVM's heap is far smaller than the file, so it can only pass if
 * nothing on the way holds the file in memory.
 */
class LargeFileTest {

    static final long SIZE = (4L << 30) + 123_457;
    static final int BLOCK = 1 << 20;

    @Test
    void aFileOverFourGigabytesStreamsUpAndDown() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(SIZE);
        try (TestRepository repo = new TestRepository(TestDatabases.Kind.H2);
             SftpServer server = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1"));
             MinaClient mina = new MinaClient()) {
            Caller alice = repo.user("alice");
            Folder big = repo.repo().folders().createCollection(Caller.SYSTEM, "Big", "");
            repo.repo().access().setAcl(Caller.SYSTEM, big.id(), List.of(new AclEntry("user:alice", AccessLevel.WRITE)));
            byte[] pattern = new byte[BLOCK];
            new Random(3).nextBytes(pattern);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            try (ClientSession session = mina.session(server.port(), "alice", TestRepository.PASSWORD);
                 SftpClient sftp = mina.sftp(session)) {
                try (OutputStream out = sftp.write("/collections/Big/huge.bin", 1 << 16)) {
                    for (long at = 0; at < SIZE; at += BLOCK) {
                        byte[] block = block(pattern, at);
                        int length = (int) Math.min(BLOCK, SIZE - at);
                        sent.update(block, 0, length);
                        out.write(block, 0, length);
                    }
                }
                // The session's next request waits for the file to be stored.
                assertThat(sftp.stat("/collections/Big/huge.bin").getSize()).isEqualTo(SIZE);
                Item item = repo.repo().items().find(alice, big.id(), "huge.bin").orElseThrow();
                assertThat(item.size()).isEqualTo(SIZE);
                assertThat(item.primaryFile().sha256()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

                MessageDigest received = MessageDigest.getInstance("SHA-256");
                long total = 0;
                try (InputStream in = sftp.read("/collections/Big/huge.bin", 1 << 16)) {
                    byte[] buffer = new byte[BLOCK];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        received.update(buffer, 0, n);
                        total += n;
                    }
                }
                assertThat(total).isEqualTo(SIZE);
                assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(item.primaryFile().sha256());
            }
        }
    }

    /** Random bytes stamped with their offset, so a block written at the wrong place changes the digest. */
    private static byte[] block(byte[] pattern, long offset) {
        byte[] block = pattern.clone();
        ByteBuffer.wrap(block).putLong(offset);
        return block;
    }
}
