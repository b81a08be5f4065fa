package org.arca.web.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.arca.core.Database;
import org.arca.core.TestDatabases;
import org.flywaydb.core.Flyway;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Upgrading a DICOM index written before names matched case-insensitively: its rows get their folded names. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class NameCaseMigrationTest {

    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    @Test
    void rowsIndexedBeforeTheUpgradeMatchWhateverTheCase() throws Exception {
        String url = kind == TestDatabases.Kind.H2 ? Database.embeddedUrl(dir) : TestDatabases.urlFor(kind);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            String now = "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'";
            s.execute("INSERT INTO folders VALUES ('c1', NULL, '-', 'c1', 'Old collection', '', NULL, " + now + ", " + now + ")");
            for (String item : List.of("i1", "i2", "i3")) {
                s.execute("INSERT INTO items VALUES ('" + item + "', 'c1', '" + item + ".dcm', '', NULL, " + now + ", " + now + ")");
            }
        }
        try (Database db = Database.open(url, null, null)) {
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/dicom").table("flyway_history_dicom")
                    .baselineOnMigrate(true).baselineVersion("0").target("2").load().migrate();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute(row("i1", "'Müller^Hans'", "'smith^john'"));
                s.execute(row("i2", "'DOE^JANE'", "NULL"));
                s.execute(row("i3", "NULL", "NULL"));
            }
            db.migrate(org.arca.dicomweb.DicomWebPlugin.SCHEMA);
            var rows = db.dsl().resultQuery("SELECT item_id, patient_name_match, referring_physician_match FROM dicom_instances"
                    + " ORDER BY item_id").fetch();
            assertThat(rows.map(r -> r.get(1, String.class))).containsExactly("MÜLLER^HANS", "DOE^JANE", null);
            assertThat(rows.map(r -> r.get(2, String.class))).containsExactly("SMITH^JOHN", null, null);
            assertThat(db.dsl().fetchCount(DSL.table(DSL.name("dicom_instances")),
                    DSL.field(DSL.name("patient_name_match"), String.class).like("MÜL%"))).isEqualTo(1);
        }
    }

    private static String row(String item, String patientName, String referring) {
        return "INSERT INTO dicom_instances (item_id, file_id, sha256, size_bytes, transfer_syntax, sop_instance_uid, sop_class_uid,"
                + " study_uid, series_uid, patient_name, referring_physician) VALUES ('" + item + "', 'f" + item + "', 'sha', 1,"
                + " '1.2.840.10008.1.2.1', '1.2.3." + item.substring(1) + "', '1.2', '1.2.3', '1.2.3.1', " + patientName + ", "
                + referring + ")";
    }
}
