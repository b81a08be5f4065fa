package org.arca.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderNameCase;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The metadata store: a pooled connection to H2 (embedded default) or PostgreSQL, migrated by Flyway
 * on open, queried through jOOQ. Thread-safe; close it once, at shutdown.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;
    private final AtomicLong statements = new AtomicLong();

    private Database(HikariDataSource dataSource, SQLDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withRenderNameCase(RenderNameCase.AS_IS)
                .withExecuteLogging(false);
        this.dsl = DSL.using(dataSource, dialect, settings);
        ExecuteListener counter = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                statements.incrementAndGet();
            }
        };
        this.dsl.configuration().set(counter);
    }

    /** Statements run since start: for metrics, and for tests that a listing costs a constant number of queries. */
    public long statementsExecuted() {
        return statements.get();
    }

    /** The embedded default: an H2 file database under {@code dataDir/db}. */
    public static String embeddedUrl(Path dataDir) {
        // LOCK_TIMEOUT: writers queue on the audit head row; give them time instead of failing fast.
        // QUERY_CACHE_SIZE: H2 keeps 8 parsed statements per connection by default, fewer than one upload runs
        // (access checks, name checks, item and blob rows, audit), so it parsed SQL again for every file: a sixth
        // of an SFTP session's CPU for small files. 256 holds what a busy connection runs.
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("arca").toAbsolutePath()
                + ";LOCK_TIMEOUT=30000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256";
    }

    /** Connects, migrates the schema to the newest version, and returns a ready store. */
    public static Database open(String jdbcUrl, String user, String password) {
        SQLDialect dialect = dialectOf(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(dialect == SQLDialect.H2 ? 8 : 16);
        config.setMinimumIdle(1);
        config.setPoolName("arca-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, dialect);
    }

    private static SQLDialect dialectOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return SQLDialect.H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return SQLDialect.POSTGRES;
        }
        throw new IllegalArgumentException("Arca runs on H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...)");
    }

    /**
     * Migrates a module's own tables (the DICOM index, later the search and job tables) with their own
     * history table, so each module versions its schema without colliding with the core's numbers.
     */
    public void migrate(String location, String historyTable) {
        Flyway.configure().dataSource(dataSource).locations(location).table(historyTable)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }

    public DSLContext dsl() {
        return dsl;
    }

    public SQLDialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in one transaction: all of it commits, or none of it does. */
    public <T> T inTransaction(Function<DSLContext, T> work) {
        return dsl.transactionResult(configuration -> work.apply(DSL.using(configuration)));
    }

    /** True when a trivial query answers: what health checks ask. */
    public boolean ping() {
        try {
            return dsl.selectOne().fetchOne(0, Integer.class) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Timestamps are stored in UTC at millisecond precision, so every database gives back the same instant. */
    static OffsetDateTime stamp(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
