package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.io.IOException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.arca.core.Tables.Blobs;
import org.arca.core.Tables.Files;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.Tables.Meta;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items and their files. Bytes go to the {@link BlobStore} first and are durable before the rows that
 * name them commit; listeners hear of an item only after its commit. Access follows the folder the item
 * is in: reading needs READ there, changing needs WRITE.
 */
public final class ItemStore {
    private static final Logger LOG = LoggerFactory.getLogger(ItemStore.class);

    /** An item file's bytes as a local file, for ranged reads, with the item and file it belongs to. */
    public record Content(Item item, StoredFile file, Path path) {
    }

    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final BlobStore blobs;
    private final long maxUploadBytes;
    private final List<ItemListener> listeners = new CopyOnWriteArrayList<>();
    private final SearchIndex search;

    ItemStore(Database db, AccessControl access, AuditLog audit, BlobStore blobs, long maxUploadBytes, SearchIndex search) {
        this.search = search;
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.blobs = blobs;
        this.maxUploadBytes = maxUploadBytes;
    }

    public void addListener(ItemListener listener) {
        listeners.add(listener);
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Checks, before any byte is read, that the caller may create {@code name} in the folder. Surfaces call
     * this first so a refused upload costs nothing; {@link #upload} checks again in its transaction.
     */
    public void checkUpload(Caller caller, String folderId, String name, boolean replace) {
        String valid = Names.requireValidName(name);
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, folderId, AccessLevel.WRITE);
        requireUploadable(dsl, folderId, valid, replace);
    }

    /**
     * As {@link #checkUpload} with {@code replace}, for a surface that opens a file by name for writing (SFTP):
     * also returns the item an upload of that name would replace, so the surface needs no second lookup.
     */
    public Optional<Item> checkReplaceableUpload(Caller caller, String folderId, String name) {
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
        return Optional.ofNullable(found.get(itemId)).map(id -> load(dsl, id, level));
    }

    /**
     * Streams {@code in} into a new item with one file. With {@code replace}, an existing item of that name
     * gets the new content (a PUT); without it, the name must be free (a POST). {@code declaredLength} is the
     * length the client announced, or -1; a shorter stream stores nothing.
     */
    public Item upload(Caller caller, String folderId, String name, String mediaType, InputStream in, long declaredLength,
                       boolean replace) {
        return receive(caller, folderId, name, mediaType, in, declaredLength, replace).item();
    }

    /** What one upload did: made {@code item} new, or gave it new content. */
    public record Stored(Item item, ItemListener.Change change) {
    }

    /**
     * As {@link #upload} with {@code replace}, also telling whether the item is new: for a surface whose answer
     * says so (HTTP's 201 or 200). Of uploads of one new name at once, exactly one makes the item.
     */
    public Stored put(Caller caller, String folderId, String name, String mediaType, InputStream in, long declaredLength) {
        return receive(caller, folderId, name, mediaType, in, declaredLength, true);
    }

    private Stored receive(Caller caller, String folderId, String name, String mediaType, InputStream in,
                           long declaredLength, boolean replace) {
        checkUpload(caller, folderId, name, replace);
        if (declaredLength > maxUploadBytes) {
            throw tooLarge();
        }
        BlobStore.Blob blob = blobs.write(in, declaredLength, maxUploadBytes);
        return store(caller, folderId, name, mediaType, blob, replace);
    }

    /** Stores a file assembled elsewhere (a resumable upload) as an item; the file is moved into the blob store. */
    public Item adopt(Caller caller, String folderId, String name, String mediaType, Path file, boolean replace) {
        // The bytes are here already, so an early check saves nothing: the transaction's own check decides.
        Names.requireValidName(name);
        BlobStore.Blob blob = blobs.adopt(file);
        return commit(caller, folderId, name, mediaType, blob, replace);
    }

    /**
     * Makes an item of bytes already in the blob store (a surface that must look at the bytes before naming
     * them, as STOW-RS does). A blob that never becomes an item is collected by {@code gc}.
     */
    public Item create(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        // The bytes are here already, so an early check saves nothing: the transaction's own check decides.
        Names.requireValidName(name);
        return commit(caller, folderId, name, mediaType, blob, replace);
    }

    /** One item of {@link #createAll}: a free name in the folder, a media type and bytes already in the blob store. */
    public record NewItem(String name, String mediaType, BlobStore.Blob blob) {
    }

    /**
     * Makes several new items in one folder of bytes already in the blob store, all or none: in one transaction
     * with the checks and audit entries {@link #create} makes for each item (WRITE on the folder, every name
     * valid and free, duplicates within the batch included), then each listener is told of each item after the
     * commit, and the search index gets the batch as one update. For a surface storing many results at once (an
     * AI job's overlays), where a transaction and an index update per item cost more than the items.
     */
    public List<Item> createAll(Caller caller, String folderId, List<NewItem> items) {
        return db.durably(() -> createAllNow(caller, folderId, items));
    }

    private List<Item> createAllNow(Caller caller, String folderId, List<NewItem> items) {
        Set<String> names = new HashSet<>();
        for (NewItem item : items) {
            if (!names.add(Names.requireValidName(item.name()))) {
                throw SiblingNames.taken(item.name());
            }
        }
        if (items.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        recordBlobs(items.stream().map(NewItem::blob).distinct().toList(), now);
        AccessLevel[] level = new AccessLevel[1];
        List<Put> puts = items.stream().map(item -> new Put(folderId, item.name(), item.mediaType(), item.blob())).toList();
        List<Integer> all = IntStream.range(0, puts.size()).boxed().toList();
        List<String> ids = SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            level[0] = access.require(tx, caller, folderId, AccessLevel.WRITE);
            PutResult[] refused = new PutResult[puts.size()];
            Map<Integer, Written> made = writeRound(tx, caller, puts, all, false, now, refused);
            for (PutResult refusal : refused) {
                if (refusal != null) {
                    throw refusal.refusal();
                }
            }
            audit.appendAll(tx, caller, made.values().stream()
                    .map(w -> new AuditLog.Entry(w.auditAction(), "item", w.itemId(), w.auditDetail())).toList());
            return made.values().stream().map(Written::itemId).toList();
        }));
        List<Item> created = loadAll(db.dsl(), ids, level[0]);
        tellListeners(created.stream()
                .map(item -> new ItemListener.ItemEvent(ItemListener.Change.CREATED, item, caller)).toList());
        search.itemsChanged(ids);
        return created;
    }

    /**
     * One upload, made durable as a whole: its blob row, its item and what listeners derive from it (the DICOM
     * index, the extraction queue) share one sync before the surface answers.
     */
    private Item commit(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        return store(caller, folderId, name, mediaType, blob, replace).item();
    }

    private Stored store(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        return db.durably(() -> storeNow(caller, folderId, name, mediaType, blob, replace));
    }

    private Stored storeNow(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob,
                            boolean replace) {
        Instant now = Instant.now();
        recordBlob(blob, now);
        Stored stored;
        try {
            stored = write(caller, new Put(folderId, name, mediaType, blob), replace, now);
        } catch (ArcaException e) {
            if (!replace || !"name_taken".equals(e.code())) {
                throw e;
            }
            // Another upload made an item of this name since this one looked: replacing, this one now gives
            // that item its content, as if it had come second (unless the name went to a folder).
            stored = write(caller, new Put(folderId, name, mediaType, blob), true, now);
        }
        notify(new ItemListener.ItemEvent(stored.change(), stored.item(), caller));
        return stored;
    }

    private Stored write(Caller caller, Put put, boolean replace, Instant now) {
        AccessLevel[] level = new AccessLevel[1];
        Written written = SiblingNames.translate(put.name(), () -> db.inTransaction(tx -> {
            level[0] = access.require(tx, caller, put.folderId(), AccessLevel.WRITE);
            PutResult[] refused = new PutResult[1];
            Written w = writeRound(tx, caller, List.of(put), List.of(0), replace, now, refused).get(0);
            if (w == null) {
                throw refused[0].refusal();
            }
            audit.append(tx, caller, w.auditAction(), "item", w.itemId(), w.auditDetail());
            return w;
        }));
        return new Stored(committed(written, caller, level[0], now), written.change());
    }

    /** One upload of {@link #putAll}: bytes already in the blob store, to be stored under a name in a folder. */
    public record Put(String folderId, String name, String mediaType, BlobStore.Blob blob) {
    }

    /** What became of one {@link Put}: the item stored, or the reason it was refused (then {@code item} is null). */
    public record PutResult(Item item, ArcaException refusal) {
    }

    /**
     * Stores several uploads by one caller, each as {@link #create} with {@code replace} would (a new item, or new
     * content for the item of that name, with its access check and audit entry), in one transaction, and tells
     * listeners and the search index of each after the commit. Each put is decided on its own: one refused (its
     * folder no longer writable, a folder of that name) leaves the others stored. For a surface that receives
     * many small files at once (an SFTP session), where a transaction, an access check and an audit-head update
     * per file cost more than the files. Results are in the order of {@code puts}.
     */
    public List<PutResult> putAll(Caller caller, List<Put> puts) {
        return db.durably(() -> putAllNow(caller, puts));
    }

    private List<PutResult> putAllNow(Caller caller, List<Put> puts) {
        PutResult[] results = new PutResult[puts.size()];
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < puts.size(); i++) {
            try {
                Names.requireValidName(puts.get(i).name());
                valid.add(i);
            } catch (ArcaException e) {
                results[i] = new PutResult(null, e);
            }
        }
        Instant now = Instant.now();
        recordBlobs(valid.stream().map(i -> puts.get(i).blob()).distinct().toList(), now);
        Map<String, AccessLevel> levels = new HashMap<>();
        Map<Integer, Written> written;
        try {
            written = db.inTransaction(tx -> {
                Map<String, Object> folders = new HashMap<>();
                List<Integer> allowed = new ArrayList<>();
                for (int i : valid) {
                    Put put = puts.get(i);
                    // Each folder's check once per batch: a level, or the refusal every put into it gets.
                    Object check = folders.computeIfAbsent(put.folderId(), folderId -> {
                        try {
                            return access.require(tx, caller, folderId, AccessLevel.WRITE);
                        } catch (ArcaException e) {
                            return e;
                        }
                    });
                    if (check instanceof ArcaException refused) {
                        results[i] = new PutResult(null, refused);
                    } else {
                        levels.put(put.folderId(), (AccessLevel) check);
                        allowed.add(i);
                    }
                }
                Map<Integer, Written> made = new LinkedHashMap<>();
                for (List<Integer> round : rounds(puts, allowed)) {
                    made.putAll(writeRound(tx, caller, puts, round, true, now, results));
                }
                audit.appendAll(tx, caller, made.values().stream()
                        .map(w -> new AuditLog.Entry(w.auditAction(), "item", w.itemId(), w.auditDetail())).toList());
                return made;
            });
        } catch (RuntimeException e) {
            // A conflict with another writer (a name taken between check and insert): nothing of the batch was
            // written, so each goes on its own, as a single upload would, and only a conflicting one fails.
            for (int i : valid) {
                Put put = puts.get(i);
                try {
                    results[i] = new PutResult(commit(caller, put.folderId(), put.name(), put.mediaType(), put.blob(), true),
                            null);
                } catch (ArcaException refused) {
                    results[i] = new PutResult(null, refused);
                }
            }
            return List.of(results);
        }
        List<ItemListener.ItemEvent> events = new ArrayList<>();
        for (Map.Entry<Integer, Written> made : written.entrySet()) {
            Written w = made.getValue();
            Item item = committed(w, caller, levels.get(w.folderId()), now);
            results[made.getKey()] = new PutResult(item, null);
            events.add(new ItemListener.ItemEvent(w.change(), item, caller));
        }
        tellListeners(events);
        // Last, so what the listeners stored (the DICOM index rows) is there when the documents are built.
        search.itemsChanged(events.stream().map(e -> e.item().id()).distinct().toList());
        return List.of(results);
    }

    /**
     * The puts cut, in their order, into runs in which no folder and name repeats: within a run every put is
     * decided against the rows as they were before it, so a name put twice goes into two runs.
     */
    private static List<List<Integer>> rounds(List<Put> puts, List<Integer> indexes) {
        List<List<Integer>> rounds = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i : indexes) {
            String key = puts.get(i).folderId() + "/" + puts.get(i).name();
            if (!keys.add(key)) {
                rounds.add(round);
                round = new ArrayList<>();
                keys.clear();
                keys.add(key);
            }
            round.add(i);
        }
        if (!round.isEmpty()) {
            rounds.add(round);
        }
        return rounds;
    }

    /**
     * Writes each put of a round as an item of its name in its folder with the blob as its one file, replacing
     * the files of an existing item of that name when {@code replace} allows it. The caller checked WRITE on the
     * folders in the same transaction. Two queries and up to four statements however many puts there are: the
     * names already taken by folders and by items, then the rows. A put whose name is taken gets its refusal in
     * {@code results} and no entry in what is returned.
     */
    private static Map<Integer, Written> writeRound(DSLContext tx, Caller caller, List<Put> puts, List<Integer> round,
                                                    boolean replace, Instant now, PutResult[] results) {
        List<Row2<String, String>> pairs = round.stream()
                .map(i -> DSL.row(puts.get(i).folderId(), puts.get(i).name())).distinct().toList();
        // Row values, so both look up the (parent, name) unique index; "folder IN (..) AND name IN (..)" would
        // scan every sibling in the folder, and an SFTP upload of many files into one folder grows it.
        Set<String> folderNamed = new HashSet<>();
        tx.select(Folders.PARENT_KEY, Folders.NAME).from(Folders.T).where(DSL.row(Folders.PARENT_KEY, Folders.NAME).in(pairs))
                .fetch().forEach(r -> folderNamed.add(r.value1() + "/" + r.value2()));
        Map<String, String> existing = new HashMap<>();
        tx.select(Items.ID, Items.FOLDER_ID, Items.NAME).from(Items.T).where(DSL.row(Items.FOLDER_ID, Items.NAME).in(pairs))
                .fetch().forEach(r -> existing.put(r.value2() + "/" + r.value3(), r.value1()));
        var newItems = tx.insertInto(Items.T, Items.ID, Items.FOLDER_ID, Items.NAME, Items.DESCRIPTION, Items.CREATED_BY,
                Items.CREATED_AT, Items.UPDATED_AT);
        var newFiles = tx.insertInto(Files.T, Files.ID, Files.ITEM_ID, Files.NAME, Files.SIZE, Files.MEDIA_TYPE,
                Files.SHA256, Files.CREATED_AT);
        List<String> replaced = new ArrayList<>();
        Map<Integer, Written> made = new LinkedHashMap<>();
        List<SiblingNames.Claim> claims = new ArrayList<>();
        for (int i : round) {
            Put put = puts.get(i);
            String key = put.folderId() + "/" + put.name();
            if (folderNamed.contains(key)) {
                results[i] = new PutResult(null, SiblingNames.taken(put.name()));
                continue;
            }
            String id = existing.get(key);
            if (id != null && !replace) {
                results[i] = new PutResult(null, SiblingNames.taken(put.name()));
                continue;
            }
            String type = storedType(put.mediaType());
            ItemListener.Change change;
            if (id != null) {
                replaced.add(id);
                change = ItemListener.Change.CONTENT_REPLACED;
            } else {
                id = Ids.newId();
                newItems = newItems.values(id, put.folderId(), put.name(), "", caller.userId(), stamp(now), stamp(now));
                claims.add(new SiblingNames.Claim(put.folderId(), put.name(), id));
                change = ItemListener.Change.CREATED;
            }
            String fileId = Ids.newId();
            newFiles = newFiles.values(fileId, id, put.name(), put.blob().size(), type, put.blob().sha256(), stamp(now));
            made.put(i, new Written(id, put.folderId(), put.name(), type, put.blob(), fileId, change));
        }
        if (!replaced.isEmpty()) {
            tx.deleteFrom(Files.T).where(Files.ITEM_ID.in(replaced)).execute();
            tx.update(Items.T).set(Items.UPDATED_AT, stamp(now)).where(Items.ID.in(replaced)).execute();
        }
        if (!claims.isEmpty()) {
            SiblingNames.claimAll(tx, claims);
            newItems.execute();
        }
        if (!made.isEmpty()) {
            newFiles.execute();
        }
        return made;
    }

    /** An item's row and file as {@link #writeRound} left them in the transaction, for its audit entry and event. */
    private record Written(String itemId, String folderId, String name, String mediaType, BlobStore.Blob blob,
                           String fileId, ItemListener.Change change) {

        String auditAction() {
            return change == ItemListener.Change.CREATED ? "item.create" : "item.replace";
        }

        String auditDetail() {
            return "folder=" + folderId + " name=" + name + " size=" + blob.size() + " sha256=" + blob.sha256();
        }
    }

    /** The item after its commit: a new one as written, a replaced one read back (it keeps its other fields). */
    private Item committed(Written w, Caller caller, AccessLevel level, Instant now) {
        if (w.change() == ItemListener.Change.CREATED) {
            // Every field of a new item is known here; reading it back would cost two queries per upload.
            Instant at = instant(stamp(now));
            return new Item(w.itemId(), w.folderId(), w.name(), "", caller.userId(), at, at,
                    List.of(new StoredFile(w.fileId(), w.itemId(), w.name(), w.blob().size(), w.mediaType(),
                            w.blob().sha256(), at)), level);
        }
        return load(db.dsl(), w.itemId(), level);
    }

    /**
     * Records a blob's row in a transaction of its own, before the item that names it. Two uploads of the same
     * bytes at once (an SFTP session stores several files in parallel) would otherwise both insert it in their
     * item's transaction, and the later one would fail. A row no item names yet is left to {@code gc}, which
     * spares rows younger than its grace period.
     */
    private void recordBlob(BlobStore.Blob blob, Instant now) {
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

    /** The media type a file is stored with: the one given, or the generic binary type when none was. */
    private static String storedType(String mediaType) {
        return mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
    }

    /**
     * {@link #recordBlob} for several blobs: the rows missing are found with one query and inserted with one
     * statement, or each on its own should another upload of the same bytes get there first.
     */
    private void recordBlobs(List<BlobStore.Blob> blobs, Instant now) {
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
            missing.forEach(blob -> recordBlob(blob, now));
        }
    }

    /** The item of that name in a folder the caller may read, if there is one. */
    public Optional<Item> find(Caller caller, String folderId, String name) {
        DSLContext dsl = db.dsl();
        AccessLevel level = access.require(dsl, caller, folderId, AccessLevel.READ);
        return Optional.ofNullable(dsl.select(Items.ID).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                .and(Items.NAME.eq(name)).fetchOne(Items.ID)).map(id -> load(dsl, id, level));
    }

    public Item get(Caller caller, String itemId) {
        DSLContext dsl = db.dsl();
        String folderId = folderOf(dsl, itemId);
        AccessLevel level = access.require(dsl, caller, folderId, AccessLevel.READ);
        return load(dsl, itemId, level);
    }

    /** Opens an item's file for download and records the download in the audit log. */
    public Content content(Caller caller, String itemId, String fileId) {
        Item item = get(caller, itemId);
        StoredFile file = fileId == null ? item.primaryFile() : item.files().stream().filter(f -> f.id().equals(fileId))
                .findFirst().orElseThrow(() -> ArcaException.notFound("The file"));
        audit.record(caller, "item.download", "item", itemId, "file=" + file.id() + " sha256=" + file.sha256());
        return new Content(item, file, blobs.path(file.sha256()));
    }

    public Item update(Caller caller, String itemId, String newName, String newDescription) {
        SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            String folderId = folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.WRITE);
            var update = tx.update(Items.T).set(Items.UPDATED_AT, stamp(Instant.now()));
            String current = tx.select(Items.NAME).from(Items.T).where(Items.ID.eq(itemId)).fetchOne(Items.NAME);
            if (newName != null && !newName.equals(current)) {
                String valid = Names.requireValidName(newName);
                SiblingNames.requireFree(tx, folderId, valid);
                SiblingNames.rename(tx, itemId, valid);
                update = update.set(Items.NAME, valid);
            }
            if (newDescription != null) {
                update = update.set(Items.DESCRIPTION, Names.optionalText(newDescription, "description", 4000));
            }
            update.where(Items.ID.eq(itemId)).execute();
            audit.append(tx, caller, "item.update", "item", itemId, newName == null ? "description" : "name=" + newName);
            return itemId;
        }));
        search.itemChanged(itemId);
        return get(caller, itemId);
    }

    public Item move(Caller caller, String itemId, String targetFolderId) {
        SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            String folderId = folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.WRITE);
            access.require(tx, caller, targetFolderId, AccessLevel.WRITE);
            if (!folderId.equals(targetFolderId)) {
                String name = tx.select(Items.NAME).from(Items.T).where(Items.ID.eq(itemId)).fetchOne(Items.NAME);
                SiblingNames.requireFree(tx, targetFolderId, name);
                SiblingNames.move(tx, itemId, targetFolderId);
                tx.update(Items.T).set(Items.FOLDER_ID, targetFolderId).set(Items.UPDATED_AT, stamp(Instant.now()))
                        .where(Items.ID.eq(itemId)).execute();
                audit.append(tx, caller, "item.move", "item", itemId, "from=" + folderId + " to=" + targetFolderId);
            }
            return itemId;
        }));
        search.itemChanged(itemId);
        return get(caller, itemId);
    }

    public Item copy(Caller caller, String itemId, String targetFolderId, String newName) {
        String copyId = SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            String folderId = folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.READ);
            access.require(tx, caller, targetFolderId, AccessLevel.WRITE);
            Record source = tx.select(Items.ALL).from(Items.T).where(Items.ID.eq(itemId)).fetchSingle();
            String name = newName == null ? source.get(Items.NAME) : Names.requireValidName(newName);
            SiblingNames.requireFree(tx, targetFolderId, name);
            String id = copyItem(tx, source, targetFolderId, name, caller);
            audit.append(tx, caller, "item.copy", "item", id, "from=" + itemId + " to=" + targetFolderId);
            return id;
        }));
        Item copy = get(caller, copyId);
        notify(new ItemListener.ItemEvent(ItemListener.Change.CREATED, copy, caller));
        return copy;
    }

    public void delete(Caller caller, String itemId) {
        Item item = db.inTransaction(tx -> {
            String folderId = folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.WRITE);
            Item before = load(tx, itemId, AccessLevel.WRITE);
            tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq("item")).and(Meta.TARGET_ID.eq(itemId)).execute();
            SiblingNames.release(tx, List.of(itemId));
            tx.deleteFrom(Files.T).where(Files.ITEM_ID.eq(itemId)).execute();
            tx.deleteFrom(Items.T).where(Items.ID.eq(itemId)).execute();
            audit.append(tx, caller, "item.delete", "item", itemId, "folder=" + folderId + " name=" + before.name());
            return before;
        });
        notify(new ItemListener.ItemEvent(ItemListener.Change.DELETED, item, caller));
    }

    /** Visits every item in the given folders in one query per batch of folders, for archives. */
    public void forEachIn(List<String> folderIds, Consumer<Item> visitor) {
        DSLContext dsl = db.dsl();
        for (int start = 0; start < folderIds.size(); start += 500) {
            List<String> batch = folderIds.subList(start, Math.min(folderIds.size(), start + 500));
            List<Record> rows = dsl.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.in(batch))
                    .orderBy(Items.FOLDER_ID, Items.NAME).fetch().stream().map(r -> (Record) r).toList();
            Map<String, List<StoredFile>> files = filesOf(dsl, select(Items.ID).from(Items.T).where(Items.FOLDER_ID.in(batch)));
            for (Record r : rows) {
                visitor.accept(item(r, files.getOrDefault(r.get(Items.ID), List.of()), AccessLevel.READ));
            }
        }
    }

    /** A page of a folder's items with their files: two queries. */
    List<Item> page(DSLContext dsl, String folderId, AccessLevel level, int limit, int offset) {
        List<Record> rows = dsl.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                .orderBy(Items.NAME).limit(limit).offset(offset).fetch().stream().map(r -> (Record) r).toList();
        if (rows.isEmpty()) {
            return List.of();
        }
        String first = rows.get(0).get(Items.NAME);
        String last = rows.get(rows.size() - 1).get(Items.NAME);
        Map<String, List<StoredFile>> files = filesOf(dsl, select(Items.ID).from(Items.T)
                .where(Items.FOLDER_ID.eq(folderId)).and(Items.NAME.between(first, last)));
        List<Item> result = new ArrayList<>(rows.size());
        for (Record r : rows) {
            result.add(item(r, files.getOrDefault(r.get(Items.ID), List.of()), level));
        }
        return result;
    }

    void copyAllIn(DSLContext tx, String fromFolderId, String toFolderId, Caller caller) {
        List<Record> rows = tx.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.eq(fromFolderId)).fetch().stream()
                .map(r -> (Record) r).toList();
        for (Record r : rows) {
            copyItem(tx, r, toFolderId, r.get(Items.NAME), caller);
        }
    }

    private String copyItem(DSLContext tx, Record source, String targetFolderId, String name, Caller caller) {
        String id = Ids.newId();
        Instant now = Instant.now();
        tx.insertInto(Items.T).set(Items.ID, id).set(Items.FOLDER_ID, targetFolderId).set(Items.NAME, name)
                .set(Items.DESCRIPTION, source.get(Items.DESCRIPTION)).set(Items.CREATED_BY, caller.userId())
                .set(Items.CREATED_AT, stamp(now)).set(Items.UPDATED_AT, stamp(now)).execute();
        SiblingNames.claim(tx, targetFolderId, name, id);
        for (Record f : tx.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.eq(source.get(Items.ID))).fetch()) {
            insertFile(tx, id, f.get(Files.NAME), f.get(Files.SIZE), f.get(Files.MEDIA_TYPE), f.get(Files.SHA256), now);
        }
        FolderTree.copyMetadata(tx, "item", source.get(Items.ID), id);
        return id;
    }

    /** Deletes every item in the given folders (a subquery) with files and metadata, returning what went. */
    List<Item> deleteAllIn(DSLContext tx, Select<? extends org.jooq.Record1<String>> folderIds) {
        List<Item> gone = new ArrayList<>();
        var ids = select(Items.ID).from(Items.T).where(Items.FOLDER_ID.in(folderIds));
        Map<String, List<StoredFile>> files = filesOf(tx, ids);
        for (Record r : tx.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.in(folderIds)).fetch()) {
            gone.add(item(r, files.getOrDefault(r.get(Items.ID), List.of()), AccessLevel.ADMIN));
        }
        tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq("item")).and(Meta.TARGET_ID.in(ids)).execute();
        SiblingNames.release(tx, ids);
        tx.deleteFrom(Files.T).where(Files.ITEM_ID.in(ids)).execute();
        tx.deleteFrom(Items.T).where(Items.FOLDER_ID.in(folderIds)).execute();
        return gone;
    }

    void notifyDeleted(Caller caller, List<Item> items) {
        for (Item item : items) {
            notify(new ItemListener.ItemEvent(ItemListener.Change.DELETED, item, caller));
        }
    }

    private void notify(ItemListener.ItemEvent event) {
        tellListeners(List.of(event));
        // Last, so what other listeners stored (the DICOM index rows) is there when the document is built.
        if (event.change() == ItemListener.Change.DELETED) {
            search.itemDeleted(event.item().id());
        } else {
            search.itemChanged(event.item().id());
        }
    }

    private void tellListeners(List<ItemListener.ItemEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (ItemListener listener : listeners) {
            try {
                listener.itemsChanged(events);
            } catch (RuntimeException e) {
                LOG.warn("item listener {} failed for {} item(s) from item {}", listener.getClass().getName(),
                        events.size(), events.get(0).item().id(), e);
            }
        }
    }

    private void requireUploadable(DSLContext dsl, String folderId, String name, boolean replace) {
        if (dsl.fetchExists(Folders.T, Folders.PARENT_ID.eq(folderId).and(Folders.NAME.eq(name)))) {
            throw SiblingNames.taken(name);
        }
        if (!replace && dsl.fetchExists(Items.T, Items.FOLDER_ID.eq(folderId).and(Items.NAME.eq(name)))) {
            throw SiblingNames.taken(name);
        }
    }

    static String folderOf(DSLContext dsl, String itemId) {
        String folderId = itemId == null ? null
                : dsl.select(Items.FOLDER_ID).from(Items.T).where(Items.ID.eq(itemId)).fetchOne(Items.FOLDER_ID);
        if (folderId == null) {
            throw ArcaException.notFound("The item");
        }
        return folderId;
    }

    private static Item load(DSLContext dsl, String itemId, AccessLevel level) {
        Record r = dsl.select(Items.ALL).from(Items.T).where(Items.ID.eq(itemId)).fetchOne();
        if (r == null) {
            throw ArcaException.notFound("The item");
        }
        List<StoredFile> files = dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.eq(itemId)).orderBy(Files.NAME)
                .fetch(ItemStore::file);
        return item(r, files, level);
    }

    /** The items in the order of {@code itemIds}, with two queries however many there are. */
    private static List<Item> loadAll(DSLContext dsl, List<String> itemIds, AccessLevel level) {
        Map<String, List<StoredFile>> files = new LinkedHashMap<>();
        for (Record f : dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.in(itemIds)).orderBy(Files.NAME).fetch()) {
            files.computeIfAbsent(f.get(Files.ITEM_ID), k -> new ArrayList<>()).add(file(f));
        }
        Map<String, Item> byId = new HashMap<>();
        for (Record r : dsl.select(Items.ALL).from(Items.T).where(Items.ID.in(itemIds)).fetch()) {
            byId.put(r.get(Items.ID), item(r, files.getOrDefault(r.get(Items.ID), List.of()), level));
        }
        return itemIds.stream().map(byId::get).toList();
    }

    private static Map<String, List<StoredFile>> filesOf(DSLContext dsl, Select<? extends org.jooq.Record1<String>> itemIds) {
        Map<String, List<StoredFile>> files = new LinkedHashMap<>();
        for (Record f : dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.in(itemIds)).orderBy(Files.NAME).fetch()) {
            files.computeIfAbsent(f.get(Files.ITEM_ID), k -> new ArrayList<>()).add(file(f));
        }
        return files;
    }

    private static String insertFile(DSLContext tx, String itemId, String name, long size, String mediaType,
                                     String sha256, Instant now) {
        String id = Ids.newId();
        tx.insertInto(Files.T).set(Files.ID, id).set(Files.ITEM_ID, itemId).set(Files.NAME, name)
                .set(Files.SIZE, size).set(Files.MEDIA_TYPE, mediaType).set(Files.SHA256, sha256)
                .set(Files.CREATED_AT, stamp(now)).execute();
        return id;
    }

    private static Item item(Record r, List<StoredFile> files, AccessLevel level) {
        return new Item(r.get(Items.ID), r.get(Items.FOLDER_ID), r.get(Items.NAME), r.get(Items.DESCRIPTION),
                r.get(Items.CREATED_BY), instant(r.get(Items.CREATED_AT)), instant(r.get(Items.UPDATED_AT)), files, level);
    }

    private static StoredFile file(Record f) {
        return new StoredFile(f.get(Files.ID), f.get(Files.ITEM_ID), f.get(Files.NAME), f.get(Files.SIZE),
                f.get(Files.MEDIA_TYPE), f.get(Files.SHA256), instant(f.get(Files.CREATED_AT)));
    }

    private ArcaException tooLarge() {
        return new ArcaException(ArcaException.Kind.TOO_LARGE, "too_large",
                "The upload is larger than the limit of " + maxUploadBytes + " bytes.");
    }
}
