package org.arca.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases a test runs against: H2 always, PostgreSQL too when {@code ARCA_TEST_PG_URL} names a server
 * (CI sets it). Each PostgreSQL use gets a fresh schema, so test classes never see each other's rows.
 */
public final class TestDatabases {

    /** A database kind by name; {@link #urlFor} turns it into a fresh, empty database. */
    public enum Kind { H2, POSTGRESQL }

    private TestDatabases() {
    }

    public static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.H2));
        if (pgUrl() != null) {
            kinds.add(Kind.POSTGRESQL);
        }
        return kinds;
    }

    static String pgUrl() {
        String url = System.getenv("ARCA_TEST_PG_URL");
        return url == null || url.isBlank() ? null : url;
    }

    /** A JDBC URL for an empty database of this kind; null for H2, which means the embedded default. */
    public static String urlFor(Kind kind) {
        if (kind == Kind.H2) {
            return null;
        }
        String base = pgUrl();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + base, e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
