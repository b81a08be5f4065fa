package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.arca.core.Tables.Items;
import org.arca.core.Tables.SiblingNamesT;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Upgrading a database written before folders and items shared one key per name, duplicates included. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class SiblingNamesMigrationTest {

    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    @Test
    void anItemSharingAFoldersNameIsRenamedAndTheUpgradeSucceeds() throws Exception {
        String url = kind == TestDatabases.Kind.H2 ? Database.embeddedUrl(dir) : TestDatabases.urlFor(kind);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            String now = "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'";
            s.execute("INSERT INTO folders VALUES ('c1', NULL, '-', 'c1', 'Old collection', '', NULL, " + now + ", " + now + ")");
            s.execute("INSERT INTO folders VALUES ('f1', 'c1', 'c1', 'c1', 'scans', '', NULL, " + now + ", " + now + ")");
            s.execute("INSERT INTO items VALUES ('i1', 'c1', 'scans', '', NULL, " + now + ", " + now + ")");
            s.execute("INSERT INTO items VALUES ('i2', 'c1', 'notes.txt', '', NULL, " + now + ", " + now + ")");
        }
        try (Database db = Database.open(url, null, null)) {
            assertThat(db.dsl().select(Items.NAME).from(Items.T).orderBy(Items.ID).fetch(Items.NAME))
                    .containsExactly("scans (item i1)", "notes.txt");
            assertThat(db.dsl().select(SiblingNamesT.NAME).from(SiblingNamesT.T).where(SiblingNamesT.PARENT_KEY.eq("c1"))
                    .orderBy(SiblingNamesT.NAME).fetch(SiblingNamesT.NAME))
                    .containsExactly("notes.txt", "scans", "scans (item i1)");
            assertThatThrownBy(() -> db.dsl().insertInto(SiblingNamesT.T, SiblingNamesT.PARENT_KEY, SiblingNamesT.NAME,
                    SiblingNamesT.ENTRY_ID).values("c1", "notes.txt", "f9").execute())
                    .isInstanceOf(org.jooq.exception.IntegrityConstraintViolationException.class);
        }
    }
}
