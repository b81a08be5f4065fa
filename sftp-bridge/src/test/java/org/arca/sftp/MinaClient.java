package org.arca.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/** MINA's SFTP client, for what OpenSSH's batch mode cannot script: held sessions, cut connections, raw names. */
final class MinaClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SshClient client;

    MinaClient() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    ClientSession session(int port, String login, String password) {
        return session(port, login, s -> s.addPasswordIdentity(password));
    }

    /** Signs in with a key pair alone. */
    ClientSession session(int port, String login, java.security.KeyPair key) {
        return session(port, login, s -> s.addPublicKeyIdentity(key));
    }

    private ClientSession session(int port, String login, java.util.function.Consumer<ClientSession> identity) {
        try {
            ClientSession session = client.connect(login, "127.0.0.1", port).verify(WAIT).getSession();
            identity.accept(session);
            session.auth().verify(WAIT);
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SftpClient sftp(ClientSession session) {
        try {
            return SftpClientFactory.instance().createSftpClient(session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.stop();
    }
}
