package org.arca.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded SFTP server (Apache MINA SSHD): each signed-in user's root is their view of the repository,
 * {@code /collections} and {@code /home}, and every operation goes through the repository's services, so
 * the ACLs, audit log and item listeners are those of the web. SFTP only; no shell, no port forwarding.
 * Start it with {@link #start}, stop it with {@link #close}.
 */
public final class SftpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SftpServer.class);

    private final SshServer sshd;
    private final ExecutorService flushes;
    private final String hostKeyFingerprint;

    /**
     * The interrupted uploads a server over {@code dataDir} keeps, for the repository's maintenance to remove once
     * {@code partialExpiry} has passed: whether or not a server runs now.
     */
    public static org.arca.core.ResumableParts resumableUploads(Path dataDir, java.time.Duration partialExpiry) {
        return new org.arca.core.ResumableParts(partialDir(dataDir), partialExpiry);
    }

    private static Path partialDir(Path dataDir) {
        return dataDir.resolve("sftp").resolve("partial");
    }

    private SftpServer(SshServer sshd, ExecutorService flushes, String hostKeyFingerprint) {
        this.sshd = sshd;
        this.flushes = flushes;
        this.hostKeyFingerprint = hostKeyFingerprint;
    }

    public static SftpServer start(Repository repository, SftpSettings settings) {
        Path dir = settings.dataDir().resolve("sftp");
        PartialUploads uploads = new PartialUploads(partialDir(settings.dataDir()), settings.partialExpiry(), Clock.systemUTC());
        // A flush waits on the disk, not the CPU; a virtual thread per flush costs nothing while it waits.
        ExecutorService flushes = Executors.newVirtualThreadPerTaskExecutor();
        ArcaFileSystemProvider provider = new ArcaFileSystemProvider(settings.dataDir());

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(settings.host());
        sshd.setPort(settings.port());
        sshd.setCipherFactories(TransportAlgorithms.ciphers());
        sshd.setMacFactories(TransportAlgorithms.macs());
        // Generated on first start and kept, so clients see the same host key after every restart.
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        sshd.setKeyPairProvider(hostKeys);
        sshd.setPasswordAuthenticator(new PasswordLogin(repository.authentication()));
        sshd.setPublickeyAuthenticator(new KeyLogin(repository.authentication(), repository.publicKeys()));
        sshd.setKeyboardInteractiveAuthenticator(null);
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, settings.idleTimeout());
        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(sshd, settings.maxSessionsPerUser());
        FlowControl.apply(sshd);
        sshd.setFileSystemFactory(new FileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) {
                return null;
            }

            @Override
            public java.nio.file.FileSystem createFileSystem(SessionContext session) throws IOException {
                Caller caller = session.getAttribute(SessionCaller.KEY);
                if (caller == null) {
                    throw new IOException("not signed in");
                }
                uploads.sweep();
                return new ArcaFileSystem(provider, new RepositoryTree(repository, caller, uploads, flushes));
            }
        });
        SftpSubsystemFactory sftp = new ArcaSftpSubsystem.Factory();
        sftp.setErrorStatusDataHandler(UploadNotStored.STATUS_TEXT);
        sftp.setFileSystemAccessor(new RepositoryAccessor());
        sftp.addSftpEventListener(new UploadCompletion());
        // Clients send permission bits with uploads; the ACL, not mode bits, decides access, so they are dropped quietly.
        sftp.setUnsupportedAttributePolicy(org.apache.sshd.sftp.server.UnsupportedAttributePolicy.Ignore);
        sshd.setSubsystemFactories(List.of(sftp));
        try {
            Files.createDirectories(dir);
            uploads.sweep();
            sshd.start();
        } catch (IOException e) {
            flushes.close();
            throw new UncheckedIOException("cannot start the SFTP server on port " + settings.port(), e);
        }
        String fingerprint = fingerprint(hostKeys);
        LOG.info("SFTP on port {}, host key {}", sshd.getPort(), fingerprint);
        return new SftpServer(sshd, flushes, fingerprint);
    }

    private static String fingerprint(SimpleGeneratorHostKeyProvider hostKeys) {
        for (KeyPair pair : hostKeys.loadKeys(null)) {
            return KeyUtils.getFingerPrint(pair.getPublic());
        }
        throw new IllegalStateException("no SFTP host key");
    }

    /** The port it listens on (the real one when started with port 0). */
    public int port() {
        return sshd.getPort();
    }

    /** The host key's SHA-256 fingerprint as OpenSSH prints it ({@code SHA256:...}). */
    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    @Override
    public void close() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            LOG.warn("SFTP server did not stop cleanly: {}", e.getMessage());
        }
        flushes.close();
    }
}
