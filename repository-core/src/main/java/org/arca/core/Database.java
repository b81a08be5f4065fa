package org.arca.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderNameCase;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata store: a pooled connection to H2 (embedded default) or PostgreSQL, migrated by Flyway
 * on open, queried through jOOQ. Thread-safe; close it once, at shutdown.
 *
 * <p>Every write is durable when the call that made it returns: {@link #inTransaction} after its commit, and a
 * write outside a transaction after its statement, so whatever a surface acknowledges next survives a crash.
 * PostgreSQL does this itself when {@code synchronous_commit} is on (and groups concurrent commits' WAL
 * flushes); Arca turns it on for its own sessions if the server's default is off. Embedded H2 keeps commits
 * in memory for up to its write delay and never forces its file, so on H2 each writing call waits for a
 * {@link GroupSync} that writes and forces the file once for all commits that arrived meanwhile.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;
    private final AtomicLong statements = new AtomicLong();
    /** Makes H2's commits durable; null where the database does that itself (PostgreSQL, in-memory H2). */
    private final GroupSync groupSync;
    private final Connection syncConnection;
    /**
     * Runs H2's syncs. H2 writes its file through a FileChannel, and Java closes a FileChannel for good when the
     * thread using it is interrupted: a request or job thread interrupted during its sync (a job cancelled, a pool
     * shut down) broke the database for the whole process ("Writing to FileChannel failed"). This thread is
     * never interrupted; callers wait for it.
     */
    private final ExecutorService syncThread;
    /** Writes of the current thread's open {@link #durably} call, which waits for durability once at its end. */
    private final ThreadLocal<TransactionWrites> transaction = new ThreadLocal<>();

    private static final class TransactionWrites {
        boolean wrote;
    }

    private Database(HikariDataSource dataSource, SQLDialect dialect, Connection syncConnection) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.syncConnection = syncConnection;
        this.groupSync = syncConnection == null ? null : new GroupSync(this::syncH2);
        this.syncThread = syncConnection == null ? null
                : Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("h2-sync").factory());
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

            @Override
            public void executeEnd(ExecuteContext ctx) {
                if (groupSync != null && ctx.type() != ExecuteType.READ) {
                    wrote();
                }
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

    /** Connects, migrates the core's schema to the newest version, and returns a ready store. */
    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, java.util.List.of());
    }

    /**
     * Connects, migrates the core's schema and then each plugin's, in the order given, to their newest versions,
     * and returns a ready store: every table exists before anything reads it.
     */
    public static Database open(String jdbcUrl, String user, String password, java.util.List<Schema> pluginSchemas) {
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
        if (dialect == SQLDialect.POSTGRES && !synchronousCommitOn(jdbcUrl, user, password)) {
            LOG.warn("The PostgreSQL server's synchronous_commit is off; Arca turns it on for its own sessions, "
                    + "since it acknowledges only what is committed durably");
            config.setConnectionInitSql("SET synchronous_commit TO on");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        Connection syncConnection = null;
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            for (Schema schema : pluginSchemas) {
                migrate(dataSource, schema);
            }
            if (dialect == SQLDialect.H2 && !jdbcUrl.startsWith("jdbc:h2:mem:")) {
                // Its own connection, not the pool's: callers wait for a sync while holding pooled connections.
                syncConnection = DriverManager.getConnection(jdbcUrl, user, password);
            }
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot open the database", e);
        }
        return new Database(dataSource, dialect, syncConnection);
    }

    private static boolean synchronousCommitOn(String jdbcUrl, String user, String password) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = connection.createStatement();
             var result = statement.executeQuery("SHOW synchronous_commit")) {
            return !result.next() || !"off".equalsIgnoreCase(result.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    /** Writes H2's committed changes to its file and forces the file to disk, on {@link #syncThread}. */
    private void syncH2() throws Exception {
        Future<?> sync = syncThread.submit(() -> {
            try (Statement statement = syncConnection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
            return null;
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    sync.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the commit is not durable yet: keep waiting, and keep the interrupt for later
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A statement that may have changed data has run on this thread: make it durable now, or at its commit. */
    private void wrote() {
        TransactionWrites open = transaction.get();
        if (open != null) {
            open.wrote = true;
        } else {
            groupSync.awaitDurable();
        }
    }

    /** Commits made durable so far and the syncs that did it (H2 only; zero elsewhere): the grouping achieved. */
    public long[] durableCommitsAndSyncs() {
        return groupSync == null ? new long[] {0, 0} : new long[] {groupSync.commits(), groupSync.flushes()};
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
     * Migrates a plugin's own tables with their own history table; {@link #open} does this for the schemas it is
     * given, and upgrade tests call it after writing rows of an older version.
     */
    public void migrate(Schema schema) {
        migrate(dataSource, schema);
    }

    /** Baselined at 0 so a module's first migration also runs on a database the core created before it. */
    private static void migrate(javax.sql.DataSource dataSource, Schema schema) {
        Flyway.configure().dataSource(dataSource).locations(schema.location()).table(schema.historyTable())
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }

    public DSLContext dsl() {
        return dsl;
    }

    public SQLDialect dialect() {
        return dialect;
    }

    /**
     * Runs {@code work} in one transaction: all of it commits, or none of it does. When it returns, what it
     * wrote is durable (at the end of the enclosing {@link #durably} call, if there is one).
     */
    public <T> T inTransaction(Function<DSLContext, T> work) {
        return durably(() -> dsl.transactionResult(configuration -> work.apply(DSL.using(configuration))));
    }

    /**
     * Runs {@code work}, which may write in several transactions and statements (an item, then what listeners
     * derive from it), and returns once all of it is durable, at the cost of one sync instead of one per write.
     * Calls nest: the outermost waits. Nothing is waited for when {@code work} throws, since nothing it did is
     * acknowledged then.
     */
    public <T> T durably(Supplier<T> work) {
        if (groupSync == null || transaction.get() != null) {
            return work.get();
        }
        TransactionWrites open = new TransactionWrites();
        transaction.set(open);
        T result;
        try {
            result = work.get();
        } finally {
            transaction.remove();
        }
        if (open.wrote) {
            groupSync.awaitDurable();
        }
        return result;
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
    public static OffsetDateTime stamp(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @Override
    public void close() {
        if (syncThread != null) {
            syncThread.shutdown();
        }
        if (syncConnection != null) {
            try {
                syncConnection.close();
            } catch (SQLException e) {
                LOG.warn("closing the database's sync connection failed: {}", e.getClass().getSimpleName());
            }
        }
        dataSource.close();
    }
}
