package db.dicom;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.arca.dicomweb.PersonNameCase;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Case-insensitive person-name matching (QIDO-RS's default), and indexes that let study searches by name and
 * date work from the index. Case-insensitive matching needs a case-folded copy of each person name, filled
 * for the rows already indexed, and indexed itself, so a search compares stored folded names instead of
 * folding every row at query time. In Java rather than SQL for two reasons: the rows are filled with the
 * same {@link PersonNameCase#fold} new rows get (SQL's UPPER differs between H2 and PostgreSQL locales),
 * and on PostgreSQL the index needs {@code varchar_pattern_ops} to serve {@code LIKE 'SMI%'} whatever the
 * database's collation, which H2 does not understand.
 */
public final class V3__Name_case_and_study_indexes extends BaseJavaMigration {
    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE dicom_instances ADD COLUMN patient_name_match VARCHAR(324)");
            ddl.execute("ALTER TABLE dicom_instances ADD COLUMN referring_physician_match VARCHAR(324)");
        }
        fill(connection);
        String patterns = postgres ? " varchar_pattern_ops" : "";
        try (Statement ddl = connection.createStatement()) {
            // With the study UID and date a name search groups and orders its studies from the index alone, without
            // reading each matching row (PatientName=PAT01* over 10,000 studies: a thousand row reads fewer).
            ddl.execute("CREATE INDEX dicom_instances_patient_name_match ON dicom_instances (patient_name_match" + patterns
                    + ", study_uid, study_date)");
            ddl.execute("CREATE INDEX dicom_instances_referring_physician_match ON dicom_instances (referring_physician_match"
                    + patterns + ")");
            // The same for date ranges, the other search every study list sends; it serves all the old one did.
            ddl.execute("CREATE INDEX dicom_instances_study_date_study ON dicom_instances (study_date, study_uid)");
            ddl.execute("DROP INDEX dicom_instances_study_date");
        }
    }

    private static void fill(Connection connection) throws SQLException {
        try (Statement read = connection.createStatement();
             PreparedStatement write = connection.prepareStatement(
                     "UPDATE dicom_instances SET patient_name_match = ?, referring_physician_match = ? WHERE item_id = ?")) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rows = read.executeQuery("SELECT item_id, patient_name, referring_physician FROM dicom_instances"
                    + " WHERE patient_name IS NOT NULL OR referring_physician IS NOT NULL")) {
                while (rows.next()) {
                    write.setString(1, PersonNameCase.fold(rows.getString(2)));
                    write.setString(2, PersonNameCase.fold(rows.getString(3)));
                    write.setString(3, rows.getString(1));
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
    }
}
