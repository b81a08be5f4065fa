package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that returned is in the embedded database's file at once: the file copied while the database is
 * still open (what a crash or power cut leaves behind) holds it.
 */
class DurableCommitTest {

    @TempDir
    Path dir;

    @Test
    void aReturnedTransactionAndAReturnedStatementAreInTheFileBeforeTheDatabaseCloses() throws Exception {
        Path live = dir.resolve("live");
        try (Database db = Database.open(Database.embeddedUrl(live), null, null)) {
            db.dsl().execute("CREATE TABLE durable_probe (name VARCHAR(40) PRIMARY KEY)");
            db.inTransaction(tx -> tx.execute("INSERT INTO durable_probe VALUES ('in a transaction')"));
            db.dsl().execute("INSERT INTO durable_probe VALUES ('on its own')");

            Path crashed = Files.createDirectories(dir.resolve("crashed/db"));
            try (var files = Files.list(live.resolve("db"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, crashed.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (Database copy = Database.open(Database.embeddedUrl(dir.resolve("crashed")), null, null)) {
                assertThat(copy.dsl().fetch("SELECT name FROM durable_probe ORDER BY name").getValues(0, String.class))
                        .containsExactly("in a transaction", "on its own");
            }
        }
    }

    @Test
    void writesInsideOneDurableCallShareOneSyncAtItsEnd() {
        try (Database db = Database.open(Database.embeddedUrl(dir.resolve("scoped")), null, null)) {
            db.dsl().execute("CREATE TABLE durable_probe (name VARCHAR(40) PRIMARY KEY)");
            long before = db.durableCommitsAndSyncs()[0];
            db.durably(() -> {
                db.dsl().execute("INSERT INTO durable_probe VALUES ('a row')");
                db.inTransaction(tx -> tx.execute("INSERT INTO durable_probe VALUES ('a transaction')"));
                db.dsl().execute("INSERT INTO durable_probe VALUES ('what a listener adds')");
                assertThat(db.durableCommitsAndSyncs()[0]).isEqualTo(before);
                return null;
            });
            assertThat(db.durableCommitsAndSyncs()[0]).isEqualTo(before + 1);
            db.durably(() -> db.dsl().fetchCount(db.dsl().selectOne()));
            db.dsl().fetch("SELECT name FROM durable_probe");
            db.dsl().fetchOne("SELECT COUNT(*) FROM durable_probe");
            db.inTransaction(tx -> tx.fetch("SELECT name FROM durable_probe FOR UPDATE"));
            assertThat(db.durableCommitsAndSyncs()[0]).as("reads wait for nothing").isEqualTo(before + 1);
        }
    }

    @Test
    void aThreadInterruptedWhileItWaitsForDurabilityLeavesTheDatabaseWorking() throws Exception {
        try (Database db = Database.open(Database.embeddedUrl(dir.resolve("interrupted")), null, null)) {
            db.dsl().execute("CREATE TABLE durable_probe (name VARCHAR(40) PRIMARY KEY)");
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
            Thread cancelled = Thread.ofPlatform().start(() -> {
                // A job cancelled just before its write is made durable: Java closes a FileChannel that an
                // interrupted thread uses, and H2's file with it.
                Thread.currentThread().interrupt();
                try {
                    db.durably(() -> db.dsl().execute("INSERT INTO durable_probe VALUES ('cancelled job')"));
                } catch (Throwable e) {
                    failure.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            cancelled.join();
            assertThat(failure.get()).isNull();
            assertThat(stillInterrupted.get()).as("the interrupt is kept for the thread's own code").isTrue();
            db.dsl().execute("INSERT INTO durable_probe VALUES ('the next request')");
            assertThat(db.dsl().fetch("SELECT name FROM durable_probe ORDER BY name").getValues(0, String.class))
                    .containsExactly("cancelled job", "the next request");
        }
    }
}
