package org.arca.core;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the core needs to open a repository. {@code dbUrl} null means the embedded H2 database in
 * the data folder.
 */
public record RepositoryConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, long maxUploadBytes,
                               int maxLoginFailures, Duration loginLockout, Duration sessionLifetime, Clock clock) {

    /** Laptop defaults: embedded database, 1 TiB upload limit, 5 failures lock a login for 5 minutes. */
    public static RepositoryConfig defaults(Path dataDir) {
        return new RepositoryConfig(dataDir, null, null, null, 1L << 40, 5, Duration.ofMinutes(5), Duration.ofHours(12),
                Clock.systemUTC());
    }

    public RepositoryConfig withDatabase(String url, String user, String password) {
        return new RepositoryConfig(dataDir, url, user, password, maxUploadBytes, maxLoginFailures, loginLockout,
                sessionLifetime, clock);
    }

    public RepositoryConfig withMaxUploadBytes(long bytes) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, bytes, maxLoginFailures, loginLockout,
                sessionLifetime, clock);
    }

    public RepositoryConfig withLoginLockout(int failures, Duration lockout) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, maxUploadBytes, failures, lockout,
                sessionLifetime, clock);
    }

    public String effectiveDbUrl() {
        return dbUrl == null || dbUrl.isBlank() ? Database.embeddedUrl(dataDir) : dbUrl;
    }
}
