package org.arca.core;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.blob.BlobStore;
import org.arca.core.search.SearchIndex;
import org.jooq.DSLContext;
import org.jooq.Select;

/**
 * Items and their files: the one entry point the surfaces and plugins use. Bytes go to the {@link BlobStore} first
 * and are durable before the rows that name them commit; every upload passes the {@link Ingest} steps; listeners
 * hear of an item only after its commit. Access follows the folder the item is in: reading needs READ there,
 * changing needs WRITE. The work is done by {@link ItemWriter} (uploads), {@link ItemReads}, {@link ItemChanges}
 * (rename, move, copy, delete) and {@link ItemEvents}; this class only routes to them.
 */
public final class ItemStore {
    private final Database db;
    private final ItemEvents events;
    private final ItemWriter writer;
    private final ItemReads reads;
    private final ItemChanges changes;

    ItemStore(Database db, AccessControl access, AuditLog audit, BlobStore blobs, long maxUploadBytes, SearchIndex search,
              Ingest ingest) {
        this.db = db;
        this.events = new ItemEvents(search);
        this.writer = new ItemWriter(db, access, audit, blobs, maxUploadBytes, ingest, events);
        this.reads = new ItemReads(db, access, audit, blobs);
        this.changes = new ItemChanges(db, access, audit, events, reads);
    }

    /** An item file's bytes as a local file, for ranged reads, with the item and file it belongs to. */
    public record Content(Item item, StoredFile file, Path path) {
    }

    public void addListener(ItemListener listener) {
        events.add(listener);
    }

    public long maxUploadBytes() {
        return writer.maxUploadBytes();
    }

    /** {@link Database#durably} for a batcher in this package that writes several callers' uploads before one wait. */
    <T> T durably(java.util.function.Supplier<T> work) {
        return db.durably(work);
    }

    /**
     * Checks, before any byte is read, that the caller may create {@code name} in the folder. Surfaces call
     * this first so a refused upload costs nothing; {@link #upload} checks again in its transaction.
     */
    public void checkUpload(Caller caller, String folderId, String name, boolean replace) {
        writer.checkUpload(caller, folderId, name, replace);
    }

    /**
     * As {@link #checkUpload} with {@code replace}, for a surface that opens a file by name for writing (SFTP):
     * also returns the item an upload of that name would replace, so the surface needs no second lookup.
     */
    public Optional<Item> checkReplaceableUpload(Caller caller, String folderId, String name) {
        return writer.checkReplaceableUpload(caller, folderId, name);
    }

    /** What one upload did: made {@code item} new, or gave it new content. */
    public record Stored(Item item, ItemListener.Change change) {
    }

    /**
     * Streams {@code in} into a new item with one file. With {@code replace}, an existing item of that name
     * gets the new content (a PUT); without it, the name must be free (a POST). {@code declaredLength} is the
     * length the client announced, or -1; a shorter stream stores nothing.
     */
    public Item upload(Caller caller, String folderId, String name, String mediaType, InputStream in, long declaredLength,
                       boolean replace) {
        return writer.receive(caller, folderId, name, mediaType, in, declaredLength, replace).item();
    }

    /**
     * As {@link #upload} with {@code replace}, also telling whether the item is new: for a surface whose answer
     * says so (HTTP's 201 or 200). Of uploads of one new name at once, exactly one makes the item.
     */
    public Stored put(Caller caller, String folderId, String name, String mediaType, InputStream in, long declaredLength) {
        return writer.receive(caller, folderId, name, mediaType, in, declaredLength, true);
    }

    /** Stores a file assembled elsewhere (a resumable upload) as an item; the file is moved into the blob store. */
    public Item adopt(Caller caller, String folderId, String name, String mediaType, Path file, boolean replace) {
        return writer.adopt(caller, folderId, name, mediaType, file, replace);
    }

    /**
     * Makes an item of bytes already in the blob store (a surface that must look at the bytes before naming
     * them, as STOW-RS does). A blob that never becomes an item is collected by {@code gc}.
     */
    public Item create(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, boolean replace) {
        return writer.create(caller, folderId, name, mediaType, blob, replace);
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
        return writer.createAll(caller, folderId, items);
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
        return writer.putAll(caller, puts);
    }

    /**
     * Runs the ingest steps over one upload, on the calling thread, and returns it as they left it; throws their
     * refusal ({@link ArcaException.Kind#REFUSED}) or an invalid name's. {@code known} is what the surface learnt of
     * the bytes already (a parsed header), so that no step parses them again. For a surface that hands uploads to
     * {@link #putAdmitted} from another thread (a batcher): the steps' work stays on the uploads' own threads.
     */
    public Ingest.Admitted admit(Caller caller, Put put, Facts known) {
        return writer.admit(caller, put, known);
    }

    /** {@link #putAll} of uploads the ingest steps already let through ({@link #admit}), all of {@code caller}. */
    public List<PutResult> putAdmitted(Caller caller, List<Ingest.Admitted> puts) {
        return writer.putAdmitted(caller, puts);
    }

    /** What {@link #writeAdmitted} committed: each put's result, and the events listeners are still to hear. */
    record Committed(List<PutResult> results, List<ItemListener.ItemEvent> events) {
    }

    /**
     * The rows of {@link #putAdmitted}, committed, without telling anyone: for a batcher that writes under a lock
     * and lets the listeners work outside it ({@link #announce}), beside the next batch's writing. The caller
     * holds a {@link #durably} call around both.
     */
    Committed writeAdmitted(Caller caller, List<Ingest.Admitted> puts) {
        return writer.writeAdmitted(caller, puts);
    }

    /** Tells the listeners, then the search index, of committed changes. */
    void announce(List<ItemListener.ItemEvent> changed) {
        events.announce(changed);
    }

    /** The item of that name in a folder the caller may read, if there is one. */
    public Optional<Item> find(Caller caller, String folderId, String name) {
        return reads.find(caller, folderId, name);
    }

    public Item get(Caller caller, String itemId) {
        return reads.get(caller, itemId);
    }

    /** Opens an item's file for download and records the download in the audit log. */
    public Content content(Caller caller, String itemId, String fileId) {
        return reads.content(caller, itemId, fileId);
    }

    public Item update(Caller caller, String itemId, String newName, String newDescription) {
        return changes.update(caller, itemId, newName, newDescription);
    }

    public Item move(Caller caller, String itemId, String targetFolderId) {
        return changes.move(caller, itemId, targetFolderId);
    }

    public Item copy(Caller caller, String itemId, String targetFolderId, String newName) {
        return changes.copy(caller, itemId, targetFolderId, newName);
    }

    public void delete(Caller caller, String itemId) {
        changes.delete(caller, itemId);
    }

    /** Visits every item in the given folders in one query per batch of folders, for archives. */
    public void forEachIn(List<String> folderIds, Consumer<Item> visitor) {
        reads.forEachIn(folderIds, visitor);
    }

    /** A page of a folder's items with their files: two queries. */
    List<Item> page(DSLContext dsl, String folderId, AccessLevel level, int limit, int offset) {
        return ItemRows.page(dsl, folderId, level, limit, offset);
    }

    void copyAllIn(DSLContext tx, String fromFolderId, String toFolderId, Caller caller) {
        changes.copyAllIn(tx, fromFolderId, toFolderId, caller);
    }

    /** Deletes every item in the given folders (a subquery) with files and metadata, returning what went. */
    List<Item> deleteAllIn(DSLContext tx, Select<? extends org.jooq.Record1<String>> folderIds) {
        return changes.deleteAllIn(tx, folderIds);
    }

    void notifyDeleted(Caller caller, List<Item> items) {
        events.notifyDeleted(caller, items);
    }

    static String folderOf(DSLContext dsl, String itemId) {
        return ItemRows.folderOf(dsl, itemId);
    }
}
