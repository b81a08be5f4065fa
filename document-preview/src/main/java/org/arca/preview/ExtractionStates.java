package org.arca.preview;

import java.util.Optional;
import org.arca.core.Database;

/**
 * Reads extraction results for surfaces that show them (the REST API), without running extraction. Callers
 * check access to the item first; this answers for bytes, not items.
 */
public final class ExtractionStates {
    private final Database db;

    public ExtractionStates(Database db) {
        this.db = db;
    }

    public Optional<Extraction> state(String sha256) {
        return of(db, sha256);
    }

    static Optional<Extraction> of(Database db, String sha256) {
        return db.dsl().select(TextTable.STATE, TextTable.REASON, TextTable.MEDIA_TYPE, TextTable.CONTENT).from(TextTable.T)
                .where(TextTable.SHA256.eq(sha256)).fetchOptional()
                .map(r -> new Extraction(r.value1(), r.value2(), r.value3(), r.value4() == null ? 0 : r.value4().length()));
    }
}
