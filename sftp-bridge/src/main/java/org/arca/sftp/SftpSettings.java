package org.arca.sftp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the SFTP server runs: where it listens ({@code port} 0 means any free port), the data folder that holds
 * its host key and unfinished uploads, how long an idle session lives, how many sessions one user may hold,
 * and how long an unfinished upload waits for a resume.
 */
public record SftpSettings(String host, int port, Path dataDir, Duration idleTimeout, int maxSessionsPerUser,
                           Duration partialExpiry) {
    public static final int DEFAULT_PORT = 2222;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 10;
    public static final Duration DEFAULT_PARTIAL_EXPIRY = Duration.ofHours(24);

    /** The default limits, listening on every address at {@code port}. */
    public static SftpSettings defaults(Path dataDir, int port) {
        return new SftpSettings("0.0.0.0", port, dataDir, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_SESSIONS_PER_USER,
                DEFAULT_PARTIAL_EXPIRY);
    }

    public SftpSettings withHost(String newHost) {
        return new SftpSettings(newHost, port, dataDir, idleTimeout, maxSessionsPerUser, partialExpiry);
    }

    public SftpSettings withLimits(Duration newIdleTimeout, int newMaxSessionsPerUser, Duration newPartialExpiry) {
        return new SftpSettings(host, port, dataDir, newIdleTimeout, newMaxSessionsPerUser, newPartialExpiry);
    }
}
