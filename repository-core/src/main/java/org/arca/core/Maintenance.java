package org.arca.core;

import static org.arca.core.Database.instant;
import static org.jooq.impl.DSL.selectOne;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.core.Tables.Blobs;
import org.arca.core.Tables.Files;
import org.arca.core.blob.BlobStore;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Whole-store checks an operator runs: {@code verify} re-hashes every blob, {@code gc} drops unreferenced ones. */
public final class Maintenance {

    /** Problems found by {@link #verify()}: blobs whose bytes changed, and blobs the database names but the disk lacks. */
    public record BlobReport(long checked, List<String> corrupt, List<String> missing) {
        public BlobReport {
            corrupt = List.copyOf(corrupt);
            missing = List.copyOf(missing);
        }

        public boolean healthy() {
            return corrupt.isEmpty() && missing.isEmpty();
        }
    }

    /** What {@link #gc} removed: blobs, and temporary files of uploads that will never finish. */
    public record GcReport(long blobsDeleted, long bytesFreed, long temporariesDeleted) {
    }

    private final Database db;
    private final BlobStore blobs;
    private final List<ResumableParts> resumable = new java.util.concurrent.CopyOnWriteArrayList<>();

    Maintenance(Database db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    /**
     * Lets {@link #gc} remove the expired parts of resumable uploads in this folder (tus, SFTP): the surfaces that
     * write them register it, so a {@code gc} run from the command line knows them as well as the server.
     */
    public void sweepResumable(ResumableParts parts) {
        resumable.add(parts);
    }

    public BlobReport verify() {
        List<String> corrupt = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        long checked = 0;
        try (var cursor = db.dsl().select(Blobs.SHA256).from(Blobs.T).orderBy(Blobs.SHA256).fetchSize(1000).fetchLazy()) {
            for (Record r : cursor) {
                String sha = r.get(Blobs.SHA256);
                checked++;
                if (!blobs.exists(sha)) {
                    missing.add(sha);
                } else if (!blobs.verify(sha)) {
                    corrupt.add(sha);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BlobReport(checked, corrupt, missing);
    }

    /**
     * Deletes blobs no file names, once older than {@code grace}: both rows left by deleted items and files
     * on disk whose transaction never committed. The grace period protects uploads in flight, whose blob is
     * durable a moment before its row commits. Also deletes the temporary files of uploads no request owns any
     * more: the blob store's older than {@code grace}, resumable ones past their resume window.
     */
    public GcReport gc(Duration grace) {
        Instant cutoff = Instant.now().minus(grace);
        long deleted = 0;
        long freed = 0;
        var unreferenced = db.dsl().select(Blobs.SHA256, Blobs.SIZE, Blobs.CREATED_AT).from(Blobs.T)
                .where(DSL.notExists(selectOne().from(Files.T).where(Files.SHA256.eq(Blobs.SHA256))))
                .fetch();
        try {
            for (Record r : unreferenced) {
                if (instant(r.get(Blobs.CREATED_AT)).isAfter(cutoff)) {
                    continue;
                }
                String sha = r.get(Blobs.SHA256);
                int removed = db.dsl().deleteFrom(Blobs.T).where(Blobs.SHA256.eq(sha))
                        .and(DSL.notExists(selectOne().from(Files.T).where(Files.SHA256.eq(sha)))).execute();
                if (removed == 1) {
                    blobs.delete(sha);
                    deleted++;
                    freed += r.get(Blobs.SIZE);
                }
            }
            Set<String> known = new HashSet<>(db.dsl().select(Blobs.SHA256).from(Blobs.T).fetch(Blobs.SHA256));
            try (Stream<BlobStore.StoredBlob> onDisk = blobs.list()) {
                for (BlobStore.StoredBlob blob : (Iterable<BlobStore.StoredBlob>) onDisk::iterator) {
                    if (!known.contains(blob.sha256()) && blob.modified().isBefore(cutoff)) {
                        blobs.delete(blob.sha256());
                        deleted++;
                        freed += blob.size();
                    }
                }
            }
            long temporaries = blobs.removeTemporaries(grace);
            for (ResumableParts parts : resumable) {
                temporaries += parts.sweep(Instant.now());
            }
            return new GcReport(deleted, freed, temporaries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
