package org.arca.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arca.core.Tables.Files;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.blob.BlobStore;

/**
 * Every read of stored bytes, for every surface and every background job: the caller must be able to read an
 * item holding the bytes, and the read is audited here, so access and audit are decided in one place and the
 * {@link BlobStore} behind it is never named by a reader. Work Arca does for nobody in particular (indexing, the
 * approved package of a model) reads as {@link Caller#SYSTEM}; a job acting for a user reads as that user.
 */
public final class StoredBytes {
    /** Blobs looked up per query, well inside every database's limit on bound values. */
    private static final int BATCH = 500;

    /** How a read appears in the audit log. */
    public sealed interface Audit {

        /** The read writes this entry, once, however many files it reads. */
        static Audit entry(String action, String targetType, String targetId, String detail) {
            return new Entry(action, targetType, targetId, detail);
        }

        /**
         * The read is part of {@code action}, which records its own entry (an archive of a folder, an AI job) or is
         * not audited at all (a search, indexing), so the read adds none.
         */
        static Audit partOf(String action) {
            return new PartOf(action);
        }
    }

    /** See {@link Audit#entry}. */
    public record Entry(String action, String targetType, String targetId, String detail) implements Audit {
    }

    /** See {@link Audit#partOf}. */
    public record PartOf(String action) implements Audit {
    }

    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final BlobStore blobs;

    StoredBytes(Database db, AccessControl access, AuditLog audit, BlobStore blobs) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.blobs = blobs;
    }

    /** One file of an item the caller has already got through the item store. */
    public ReadableBytes read(Caller caller, StoredFile file, Audit note) {
        return read(caller, List.of(file.sha256()), note);
    }

    /** {@link #read(Caller, StoredFile, Audit)} for a reader that streams the file once. */
    public InputStream open(Caller caller, StoredFile file, Audit note) throws IOException {
        return read(caller, file, note).open(file.sha256());
    }

    /**
     * Checks that every blob is a file of an item the caller may read, writes the audit entry, and returns the
     * blobs for reading. Bytes the caller may not read, or that no item holds (for admins and {@link Caller#SYSTEM}
     * too), are "not found", as hidden things are everywhere in Arca; then nothing is audited.
     */
    public ReadableBytes read(Caller caller, Collection<String> sha256s, Audit note) {
        Set<String> wanted = Set.copyOf(sha256s);
        if (!readable(caller, wanted).containsAll(wanted)) {
            throw ArcaException.notFound("The file");
        }
        if (note instanceof Entry e) {
            audit.record(caller, e.action(), e.targetType(), e.targetId(), e.detail());
        }
        return new ReadableBytes(blobs, wanted);
    }

    private Set<String> readable(Caller caller, Set<String> wanted) {
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(wanted);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            found.addAll(db.dsl().selectDistinct(Files.SHA256).from(Files.T)
                    .where(Files.SHA256.in(batch)).and(access.readableItem(caller, Files.ITEM_ID))
                    .fetch(Files.SHA256));
        }
        return found;
    }
}
