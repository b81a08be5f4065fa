package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.blob.BlobStore;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Every way bytes become an item: a check before any byte is read, then the ingest steps ({@link Ingest}) over each
 * upload, then its blob row, its item and file rows and its audit entry in one transaction, made durable before the
 * surface answers, and the listeners told after the commit. Uploads of one caller may be written as a batch.
 */
final class ItemWriter {
    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final BlobStore blobs;
    private final long maxUploadBytes;
    private final Ingest ingest;
    private final ItemEvents events;
    private final BlobRows blobRows;

    ItemWriter(Database db, AccessControl access, AuditLog audit, BlobStore blobs, long maxUploadBytes, Ingest ingest,
               ItemEvents events) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.blobs = blobs;
        this.maxUploadBytes = maxUploadBytes;
        this.ingest = ingest;
        this.events = events;
        this.blobRows = new BlobRows(db);
    }

    long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Checks, before any byte is read, that the caller may create {@code name} in the folder. Surfaces call
     * this first so a refused upload costs nothing; {@link ItemStore#upload} checks again in its transaction.
     */
    void checkUpload(Caller caller, String folderId, String name, boolean replace) {
        String valid = Names.requireValidName(name);
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, folderId, AccessLevel.WRITE);
        requireUploadable(dsl, folderId, valid, replace);
    }

    /**
     * As {@link #checkUpload} with {@code replace}, for a surface that opens a file by name for writing (SFTP):
     * also returns the item an upload of that name would replace, so the surface needs no second lookup.
     */
    Optional<Item> checkReplaceableUpload(Caller caller, String folderId, String name) {
        String valid = Names.requireValidName(name);
        if (folderId == null) {
            throw ArcaException.notFound("The folder");
        }
        DSLContext dsl = db.dsl();
        // One query for the access check's lookups and both name lookups: a client uploading a tree opens a
        // file for each of thousands of small files, and this runs before its answer.
        Field<Boolean> exists = access.folderExists(folderId);
        Field<Integer> rank = access.grantedRank(caller, folderId);
        Field<Boolean> folderNamed = DSL.field(DSL.exists(DSL.selectOne().from(Folders.T)
                .where(Folders.PARENT_KEY.eq(folderId)).and(Folders.NAME.eq(valid))));
        Field<String> itemId = DSL.field(select(Items.ID).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                .and(Items.NAME.eq(valid)));
        Record found = dsl.select(exists, rank, folderNamed, itemId).fetchSingle();
        AccessLevel level = access.decide(caller, found.get(exists), found.get(rank), AccessLevel.WRITE);
        if (found.get(folderNamed)) {
            throw SiblingNames.taken(valid);
        }
        return Optional.ofNullable(found.get(itemId)).map(id -> ItemRows.load(dsl, id, level));
    }

    ItemStore.Stored receive(Caller caller, String folderId, String name, String mediaType, InputStream in,
                           long declaredLength, boolean replace) {
        checkUpload(caller, folderId, name, replace);
        if (declaredLength > maxUploadBytes) {
            throw tooLarge();
        }
        BlobStore.Blob blob = blobs.write(in, declaredLength, maxUploadBytes);
        return store(caller, folderId, name, mediaType, blob, replace);
    }

    /** Stores a file assembled elsewhere (a resumable upload) as an item; the file is moved into the blob store. */
    Item adopt(Caller caller, String folderId, String name, String mediaType, Path file, boolean replace) {
        // The bytes are here already, so an early check saves nothing: the transaction's own check decides.
        Names.requireValidName(name);
        BlobStore.Blob blob = blobs.adopt(file);
        return commit(caller, folderId, name, mediaType, blob, replace);
    }

    /**
     * Makes an item of bytes already in the blob store (a surface that must look at the bytes before naming
     * them, as STOW-RS does). A blob that never becomes an item is collected by {@code gc}.
     */
    Item create(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        // The bytes are here already, so an early check saves nothing: the transaction's own check decides.
        Names.requireValidName(name);
        return commit(caller, folderId, name, mediaType, blob, replace);
    }

    /**
     * Makes several new items in one folder of bytes already in the blob store, all or none: in one transaction
     * with the checks and audit entries {@link #create} makes for each item (WRITE on the folder, every name
     * valid and free, duplicates within the batch included), then each listener is told of each item after the
     * commit, and the search index gets the batch as one update. For a surface storing many results at once (an
     * AI job's overlays), where a transaction and an index update per item cost more than the items.
     */
    List<Item> createAll(Caller caller, String folderId, List<ItemStore.NewItem> items) {
        Set<String> names = new HashSet<>();
        for (ItemStore.NewItem item : items) {
            if (!names.add(Names.requireValidName(item.name()))) {
                throw SiblingNames.taken(item.name());
            }
        }
        List<Ingest.Admitted> puts = items.stream()
                .map(item -> admit(caller, new ItemStore.Put(folderId, item.name(), item.mediaType(), item.blob()), Facts.none()))
                .toList();
        return db.durably(() -> createAllNow(caller, folderId, puts));
    }

    private List<Item> createAllNow(Caller caller, String folderId, List<Ingest.Admitted> puts) {
        if (puts.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        blobRows.recordAll(puts.stream().map(a -> a.arrival().blob()).distinct().toList(), now);
        List<Integer> all = IntStream.range(0, puts.size()).boxed().toList();
        Allowed<List<String>> made = SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            AccessLevel level = access.require(tx, caller, folderId, AccessLevel.WRITE);
            ItemStore.PutResult[] refused = new ItemStore.PutResult[puts.size()];
            Map<Integer, RoundWriter.Written> rows = RoundWriter.write(tx, caller, puts, all, false, now, refused);
            for (ItemStore.PutResult refusal : refused) {
                if (refusal != null) {
                    throw refusal.refusal();
                }
            }
            audit.appendAll(tx, caller, rows.values().stream()
                    .map(w -> new AuditLog.Entry(w.auditAction(), "item", w.itemId(), w.auditDetail())).toList());
            return new Allowed<>(rows.values().stream().map(RoundWriter.Written::itemId).toList(), level);
        }));
        List<Item> created = ItemRows.loadAll(db.dsl(), made.value(), made.level());
        events.announce(IntStream.range(0, created.size()).mapToObj(i -> new ItemListener.ItemEvent(
                ItemListener.Change.CREATED, created.get(i), caller, puts.get(i).arrival().facts())).toList());
        return created;
    }

    /**
     * One upload, made durable as a whole: its blob row, its item and what listeners derive from it (the DICOM
     * index, the extraction queue) share one sync before the surface answers.
     */
    private Item commit(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        return store(caller, folderId, name, mediaType, blob, replace).item();
    }

    private ItemStore.Stored store(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        Ingest.Admitted admitted = admit(caller, new ItemStore.Put(folderId, name, mediaType, blob), Facts.none());
        return db.durably(() -> storeNow(caller, admitted, replace));
    }

    private ItemStore.Stored storeNow(Caller caller, Ingest.Admitted put, boolean replace) {
        Instant now = Instant.now();
        blobRows.record(put.arrival().blob(), now);
        ItemStore.Stored stored;
        try {
            stored = write(caller, put, replace, now);
        } catch (ArcaException e) {
            if (!replace || !"name_taken".equals(e.code())) {
                throw e;
            }
            // Another upload made an item of this name since this one looked: replacing, this one now gives
            // that item its content, as if it had come second (unless the name went to a folder).
            stored = write(caller, put, true, now);
        }
        events.announce(new ItemListener.ItemEvent(stored.change(), stored.item(), caller, put.arrival().facts()));
        return stored;
    }

    private ItemStore.Stored write(Caller caller, Ingest.Admitted put, boolean replace, Instant now) {
        String folderId = put.arrival().folderId();
        Allowed<RoundWriter.Written> written = SiblingNames.translate(put.arrival().name(), () -> db.inTransaction(tx -> {
            AccessLevel level = access.require(tx, caller, folderId, AccessLevel.WRITE);
            ItemStore.PutResult[] refused = new ItemStore.PutResult[1];
            RoundWriter.Written w = RoundWriter.write(tx, caller, List.of(put), List.of(0), replace, now, refused).get(0);
            if (w == null) {
                throw refused[0].refusal();
            }
            audit.append(tx, caller, w.auditAction(), "item", w.itemId(), w.auditDetail());
            return new Allowed<>(w, level);
        }));
        return new ItemStore.Stored(committed(written.value(), caller, written.level(), now), written.value().change());
    }

    /** What a transaction wrote, with the caller's level on the folder it checked: the items' level as returned. */
    private record Allowed<T>(T value, AccessLevel level) {
    }

    /**
     * Stores several uploads by one caller, each as {@link #create} with {@code replace} would (a new item, or new
     * content for the item of that name, with its access check and audit entry), in one transaction, and tells
     * listeners and the search index of each after the commit. Each put is decided on its own: one refused (its
     * folder no longer writable, a folder of that name) leaves the others stored. For a surface that receives
     * many small files at once (an SFTP session), where a transaction, an access check and an audit-head update
     * per file cost more than the files. Results are in the order of {@code puts}.
     */
    List<ItemStore.PutResult> putAll(Caller caller, List<ItemStore.Put> puts) {
        ItemStore.PutResult[] results = new ItemStore.PutResult[puts.size()];
        List<Integer> admittedAt = new ArrayList<>();
        List<Ingest.Admitted> admitted = new ArrayList<>();
        for (int i = 0; i < puts.size(); i++) {
            try {
                admitted.add(admit(caller, puts.get(i), Facts.none()));
                admittedAt.add(i);
            } catch (ArcaException e) {
                results[i] = new ItemStore.PutResult(null, e);
            }
        }
        List<ItemStore.PutResult> stored = putAdmitted(caller, admitted);
        for (int k = 0; k < stored.size(); k++) {
            results[admittedAt.get(k)] = stored.get(k);
        }
        return List.of(results);
    }

    /**
     * Runs the ingest steps over one upload, on the calling thread, and returns it as they left it; throws their
     * refusal ({@link ArcaException.Kind#REFUSED}) or an invalid name's. {@code known} is what the surface learnt of
     * the bytes already (a parsed header), so that no step parses them again. For a surface that hands uploads to
     * {@link #putAdmitted} from another thread (a batcher): the steps' work stays on the uploads' own threads.
     */
    Ingest.Admitted admit(Caller caller, ItemStore.Put put, Facts known) {
        Names.requireValidName(put.name());
        return ingest.admit(new Arrival(caller, put.folderId(), put.name(), put.mediaType(), put.blob(), known, blobs));
    }

    /** {@link #putAll} of uploads the ingest steps already let through ({@link #admit}), all of {@code caller}. */
    List<ItemStore.PutResult> putAdmitted(Caller caller, List<Ingest.Admitted> puts) {
        return db.durably(() -> {
            ItemStore.Committed batch = writeAdmitted(caller, puts);
            events.announce(batch.events());
            return batch.results();
        });
    }

    /**
     * The rows of {@link #putAdmitted}, committed, without telling anyone: for a batcher that writes under a lock
     * and lets the listeners work outside it ({@link ItemEvents#announce}), beside the next batch's writing. The caller
     * holds a {@link Database#durably} call around both.
     */
    ItemStore.Committed writeAdmitted(Caller caller, List<Ingest.Admitted> puts) {
        for (Ingest.Admitted put : puts) {
            if (!put.arrival().caller().equals(caller)) {
                throw new IllegalArgumentException("an upload admitted for another caller");
            }
        }
        List<ItemListener.ItemEvent> toTell = new ArrayList<>();
        List<ItemStore.PutResult> results = putAllNow(caller, puts, toTell);
        return new ItemStore.Committed(results, toTell);
    }

    private List<ItemStore.PutResult> putAllNow(Caller caller, List<Ingest.Admitted> puts, List<ItemListener.ItemEvent> toTell) {
        ItemStore.PutResult[] results = new ItemStore.PutResult[puts.size()];
        List<Integer> valid = IntStream.range(0, puts.size()).boxed().toList();
        Instant now = Instant.now();
        blobRows.recordAll(valid.stream().map(i -> puts.get(i).arrival().blob()).distinct().toList(), now);
        Map<String, AccessLevel> levels = new HashMap<>();
        Map<Integer, RoundWriter.Written> written;
        try {
            written = db.inTransaction(tx -> {
                Map<String, Object> folders = new HashMap<>();
                List<Integer> allowed = new ArrayList<>();
                for (int i : valid) {
                    Arrival put = puts.get(i).arrival();
                    // Each folder's check once per batch: a level, or the refusal every put into it gets.
                    Object check = folders.computeIfAbsent(put.folderId(), folderId -> {
                        try {
                            return access.require(tx, caller, folderId, AccessLevel.WRITE);
                        } catch (ArcaException e) {
                            return e;
                        }
                    });
                    if (check instanceof ArcaException refused) {
                        results[i] = new ItemStore.PutResult(null, refused);
                    } else {
                        levels.put(put.folderId(), (AccessLevel) check);
                        allowed.add(i);
                    }
                }
                Map<Integer, RoundWriter.Written> made = new LinkedHashMap<>();
                for (List<Integer> round : RoundWriter.rounds(puts, allowed)) {
                    made.putAll(RoundWriter.write(tx, caller, puts, round, true, now, results));
                }
                audit.appendAll(tx, caller, made.values().stream()
                        .map(w -> new AuditLog.Entry(w.auditAction(), "item", w.itemId(), w.auditDetail())).toList());
                return made;
            });
        } catch (RuntimeException e) {
            // A conflict with another writer (a name taken between check and insert): nothing of the batch was
            // written, so each goes on its own, as a single upload would, and only a conflicting one fails.
            for (int i : valid) {
                try {
                    results[i] = new ItemStore.PutResult(storeNow(caller, puts.get(i), true).item(), null);
                } catch (ArcaException refused) {
                    results[i] = new ItemStore.PutResult(null, refused);
                }
            }
            return List.of(results);
        }
        for (Map.Entry<Integer, RoundWriter.Written> made : written.entrySet()) {
            RoundWriter.Written w = made.getValue();
            Item item = committed(w, caller, levels.get(w.folderId()), now);
            results[made.getKey()] = new ItemStore.PutResult(item, null);
            toTell.add(new ItemListener.ItemEvent(w.change(), item, caller, w.facts()));
        }
        return List.of(results);
    }

    /** The item after its commit: a new one as written, a replaced one read back (it keeps its other fields). */
    private Item committed(RoundWriter.Written w, Caller caller, AccessLevel level, Instant now) {
        if (w.change() == ItemListener.Change.CREATED) {
            // Every field of a new item is known here; reading it back would cost two queries per upload.
            Instant at = instant(stamp(now));
            return new Item(w.itemId(), w.folderId(), w.name(), "", caller.userId(), at, at,
                    List.of(new StoredFile(w.fileId(), w.itemId(), w.name(), w.blob().size(), w.mediaType(),
                            w.blob().sha256(), at)), level);
        }
        return ItemRows.load(db.dsl(), w.itemId(), level);
    }

    private void requireUploadable(DSLContext dsl, String folderId, String name, boolean replace) {
        if (dsl.fetchExists(Folders.T, Folders.PARENT_ID.eq(folderId).and(Folders.NAME.eq(name)))) {
            throw SiblingNames.taken(name);
        }
        if (!replace && dsl.fetchExists(Items.T, Items.FOLDER_ID.eq(folderId).and(Items.NAME.eq(name)))) {
            throw SiblingNames.taken(name);
        }
    }

    private ArcaException tooLarge() {
        return new ArcaException(ArcaException.Kind.TOO_LARGE, "too_large",
                "The upload is larger than the limit of " + maxUploadBytes + " bytes.");
    }
}
