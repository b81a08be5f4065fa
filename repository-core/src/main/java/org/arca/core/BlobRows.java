package org.arca.core;

import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arca.core.Tables.Blobs;
import org.arca.core.blob.BlobStore;
import org.jooq.DSLContext;

/** The rows that record which blobs exist, written before any item names them. */
final class BlobRows {
    private final Database db;

    BlobRows(Database db) {
        this.db = db;
    }

    /**
     * Records a blob's row in a transaction of its own, before the item that names it. Two uploads of the same
     * bytes at once (an SFTP session stores several files in parallel) would otherwise both insert it in their
     * item's transaction, and the later one would fail. A row no item names yet is left to {@code gc}, which
     * spares rows younger than its grace period.
     */
    void record(BlobStore.Blob blob, Instant now) {
        DSLContext dsl = db.dsl();
        if (dsl.fetchExists(Blobs.T, Blobs.SHA256.eq(blob.sha256()))) {
            return;
        }
        try {
            dsl.insertInto(Blobs.T).set(Blobs.SHA256, blob.sha256()).set(Blobs.SIZE, blob.size())
                    .set(Blobs.CREATED_AT, stamp(now)).execute();
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            // Another upload of the same bytes recorded it first: the row is there, which is all this wants.
        }
    }

    /**
     * {@link #record} for several blobs: the rows missing are found with one query and inserted with one
     * statement, or each on its own should another upload of the same bytes get there first.
     */
    void recordAll(List<BlobStore.Blob> blobs, Instant now) {
        if (blobs.isEmpty()) {
            return;
        }
        DSLContext dsl = db.dsl();
        Set<String> known = new HashSet<>(dsl.select(Blobs.SHA256).from(Blobs.T)
                .where(Blobs.SHA256.in(blobs.stream().map(BlobStore.Blob::sha256).toList())).fetch(Blobs.SHA256));
        List<BlobStore.Blob> missing = blobs.stream().filter(b -> !known.contains(b.sha256())).toList();
        if (missing.isEmpty()) {
            return;
        }
        var insert = dsl.insertInto(Blobs.T, Blobs.SHA256, Blobs.SIZE, Blobs.CREATED_AT);
        for (BlobStore.Blob blob : missing) {
            insert = insert.values(blob.sha256(), blob.size(), stamp(now));
        }
        try {
            insert.execute();
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            missing.forEach(blob -> record(blob, now));
        }
    }
}
