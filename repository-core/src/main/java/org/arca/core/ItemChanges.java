package org.arca.core;

import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arca.core.Tables.Files;
import org.arca.core.Tables.Items;
import org.arca.core.Tables.Meta;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Select;

/**
 * Changes to items that exist: renaming, describing, moving, copying and deleting, each with its access check and
 * audit entry in its transaction, and, for a folder's whole subtree, the item rows its copy or deletion takes along.
 */
final class ItemChanges {
    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final ItemEvents events;
    private final ItemReads reads;

    ItemChanges(Database db, AccessControl access, AuditLog audit, ItemEvents events, ItemReads reads) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.events = events;
        this.reads = reads;
    }

    Item update(Caller caller, String itemId, String newName, String newDescription) {
        SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            String folderId = ItemRows.folderOf(tx, itemId);
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
        events.searchChanged(itemId);
        return reads.get(caller, itemId);
    }

    Item move(Caller caller, String itemId, String targetFolderId) {
        SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            String folderId = ItemRows.folderOf(tx, itemId);
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
        events.searchChanged(itemId);
        return reads.get(caller, itemId);
    }

    Item copy(Caller caller, String itemId, String targetFolderId, String newName) {
        String copyId = SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            String folderId = ItemRows.folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.READ);
            access.require(tx, caller, targetFolderId, AccessLevel.WRITE);
            Record source = tx.select(Items.ALL).from(Items.T).where(Items.ID.eq(itemId)).fetchSingle();
            String name = newName == null ? source.get(Items.NAME) : Names.requireValidName(newName);
            SiblingNames.requireFree(tx, targetFolderId, name);
            String id = copyItem(tx, source, targetFolderId, name, caller);
            audit.append(tx, caller, "item.copy", "item", id, "from=" + itemId + " to=" + targetFolderId);
            return id;
        }));
        Item copy = reads.get(caller, copyId);
        events.announce(new ItemListener.ItemEvent(ItemListener.Change.CREATED, copy, caller));
        return copy;
    }

    void delete(Caller caller, String itemId) {
        Item item = db.inTransaction(tx -> {
            String folderId = ItemRows.folderOf(tx, itemId);
            access.require(tx, caller, folderId, AccessLevel.WRITE);
            Item before = ItemRows.load(tx, itemId, AccessLevel.WRITE);
            tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq("item")).and(Meta.TARGET_ID.eq(itemId)).execute();
            SiblingNames.release(tx, List.of(itemId));
            tx.deleteFrom(Files.T).where(Files.ITEM_ID.eq(itemId)).execute();
            tx.deleteFrom(Items.T).where(Items.ID.eq(itemId)).execute();
            audit.append(tx, caller, "item.delete", "item", itemId, "folder=" + folderId + " name=" + before.name());
            return before;
        });
        events.announce(new ItemListener.ItemEvent(ItemListener.Change.DELETED, item, caller));
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
            ItemRows.insertFile(tx, id, f.get(Files.NAME), f.get(Files.SIZE), f.get(Files.MEDIA_TYPE), f.get(Files.SHA256), now);
        }
        FolderRows.copyMetadata(tx, "item", source.get(Items.ID), id);
        return id;
    }

    /** Deletes every item in the given folders (a subquery) with files and metadata, returning what went. */
    List<Item> deleteAllIn(DSLContext tx, Select<? extends org.jooq.Record1<String>> folderIds) {
        List<Item> gone = new ArrayList<>();
        var ids = select(Items.ID).from(Items.T).where(Items.FOLDER_ID.in(folderIds));
        Map<String, List<StoredFile>> files = ItemRows.filesOf(tx, ids);
        for (Record r : tx.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.in(folderIds)).fetch()) {
            gone.add(ItemRows.item(r, files.getOrDefault(r.get(Items.ID), List.of()), AccessLevel.ADMIN));
        }
        tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq("item")).and(Meta.TARGET_ID.in(ids)).execute();
        SiblingNames.release(tx, ids);
        tx.deleteFrom(Files.T).where(Files.ITEM_ID.in(ids)).execute();
        tx.deleteFrom(Items.T).where(Items.FOLDER_ID.in(folderIds)).execute();
        return gone;
    }
}
