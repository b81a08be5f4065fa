package org.arca.core;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.arca.core.accounts.LoginThrottle;

/**
 * Everything the core needs to open a repository. {@code dbUrl} null means the embedded H2 database in
 * the data folder. {@code schemas}: the plugins' tables, migrated after the core's, in this order.
 */
public record RepositoryConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, long maxUploadBytes,
                               LoginThrottle.Policy loginThrottle, Duration sessionLifetime, Clock clock,
                               List<Schema> schemas) {

    public RepositoryConfig {
        schemas = List.copyOf(schemas);
    }

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 40;

    /** Laptop defaults: embedded database, 1 TiB upload limit, {@link LoginThrottle.Policy#defaults()}. */
    public static RepositoryConfig defaults(Path dataDir) {
        return new RepositoryConfig(dataDir, null, null, null, DEFAULT_MAX_UPLOAD_BYTES, LoginThrottle.Policy.defaults(), Duration.ofHours(12),
                Clock.systemUTC(), List.of());
    }

    public RepositoryConfig withDatabase(String url, String user, String password) {
        return new RepositoryConfig(dataDir, url, user, password, maxUploadBytes, loginThrottle,
                sessionLifetime, clock, schemas);
    }

    public RepositoryConfig withMaxUploadBytes(long bytes) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, bytes, loginThrottle,
                sessionLifetime, clock, schemas);
    }

    public RepositoryConfig withLoginThrottle(LoginThrottle.Policy policy) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, maxUploadBytes, policy, sessionLifetime, clock, schemas);
    }

    /** The clock sessions, tokens and sign-in delays are measured by; tests move one by hand. */
    public RepositoryConfig withClock(Clock newClock) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, maxUploadBytes, loginThrottle, sessionLifetime,
                newClock, schemas);
    }

    /** The plugins' schemas, migrated after the core's in the order given. */
    public RepositoryConfig withSchemas(List<Schema> pluginSchemas) {
        return new RepositoryConfig(dataDir, dbUrl, dbUser, dbPassword, maxUploadBytes, loginThrottle, sessionLifetime,
                clock, pluginSchemas);
    }

    public String effectiveDbUrl() {
        return dbUrl == null || dbUrl.isBlank() ? Database.embeddedUrl(dataDir) : dbUrl;
    }
}
