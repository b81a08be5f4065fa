package org.arca.core;

import static org.jooq.impl.DSL.select;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.arca.core.Tables.Items;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.blob.BlobStore;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Items as a caller may read them: each lookup checks READ on the item's folder; a download is audited. */
final class ItemReads {
    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final BlobStore blobs;

    ItemReads(Database db, AccessControl access, AuditLog audit, BlobStore blobs) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.blobs = blobs;
    }

    /** The item of that name in a folder the caller may read, if there is one. */
    Optional<Item> find(Caller caller, String folderId, String name) {
        DSLContext dsl = db.dsl();
        AccessLevel level = access.require(dsl, caller, folderId, AccessLevel.READ);
        return Optional.ofNullable(dsl.select(Items.ID).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                .and(Items.NAME.eq(name)).fetchOne(Items.ID)).map(id -> ItemRows.load(dsl, id, level));
    }

    Item get(Caller caller, String itemId) {
        DSLContext dsl = db.dsl();
        String folderId = ItemRows.folderOf(dsl, itemId);
        AccessLevel level = access.require(dsl, caller, folderId, AccessLevel.READ);
        return ItemRows.load(dsl, itemId, level);
    }

    /** Opens an item's file for download and records the download in the audit log. */
    ItemStore.Content content(Caller caller, String itemId, String fileId) {
        Item item = get(caller, itemId);
        StoredFile file = fileId == null ? item.primaryFile() : item.files().stream().filter(f -> f.id().equals(fileId))
                .findFirst().orElseThrow(() -> ArcaException.notFound("The file"));
        audit.record(caller, "item.download", "item", itemId, "file=" + file.id() + " sha256=" + file.sha256());
        return new ItemStore.Content(item, file, blobs.path(file.sha256()));
    }

    /** Visits every item in the given folders in one query per batch of folders, for archives. */
    void forEachIn(List<String> folderIds, Consumer<Item> visitor) {
        DSLContext dsl = db.dsl();
        for (int start = 0; start < folderIds.size(); start += 500) {
            List<String> batch = folderIds.subList(start, Math.min(folderIds.size(), start + 500));
            List<Record> rows = dsl.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.in(batch))
                    .orderBy(Items.FOLDER_ID, Items.NAME).fetch().stream().map(r -> (Record) r).toList();
            Map<String, List<StoredFile>> files = ItemRows.filesOf(dsl, select(Items.ID).from(Items.T).where(Items.FOLDER_ID.in(batch)));
            for (Record r : rows) {
                visitor.accept(ItemRows.item(r, files.getOrDefault(r.get(Items.ID), List.of()), AccessLevel.READ));
            }
        }
    }
}
