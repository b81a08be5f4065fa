package org.arca.core;

import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.Tables.Acl;
import org.arca.core.Tables.Ancestors;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.Tables.Meta;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.search.SearchIndex;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * Changes that take a folder's whole subtree along: renaming (paths below change), moving, copying and deleting,
 * each in one transaction under the tree's lock where the tree's shape changes, with the access cache and the
 * search index told after the commit.
 */
final class SubtreeChanges {
    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final ItemStore items;
    private final SearchIndex search;

    SubtreeChanges(Database db, AccessControl access, AuditLog audit, ItemStore items, SearchIndex search) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.items = items;
        this.search = search;
    }

    void update(Caller caller, String id, String newName, String newDescription) {
        try {
            rename(caller, id, newName, newDescription);
        } finally {
            access.changed();
        }
        search.subtreeChanged(id);
    }

    private void rename(Caller caller, String id, String newName, String newDescription) {
        SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            Record row = FolderRows.row(tx, id);
            boolean collection = row.get(Folders.PARENT_ID) == null;
            access.require(tx, caller, id, collection ? AccessLevel.ADMIN : AccessLevel.WRITE);
            var update = tx.update(Folders.T).set(Folders.UPDATED_AT, stamp(Instant.now()));
            StringBuilder detail = new StringBuilder();
            if (newName != null && !newName.equals(row.get(Folders.NAME))) {
                String valid = Names.requireValidName(newName);
                SiblingNames.requireFree(tx, row.get(Folders.PARENT_KEY), valid);
                SiblingNames.rename(tx, id, valid);
                update = update.set(Folders.NAME, valid);
                detail.append("name=").append(valid).append(' ');
            }
            if (newDescription != null) {
                update = update.set(Folders.DESCRIPTION, Names.optionalText(newDescription, "description", 4000));
                detail.append("description");
            }
            update.where(Folders.ID.eq(id)).execute();
            audit.append(tx, caller, "folder.update", "folder", id, detail.toString().strip());
            return null;
        }));
    }

    /**
     * Moves a folder under another parent, in the same or another collection. Needs ADMIN on the folder
     * (its inherited grants change) and WRITE on the new parent; a folder cannot go into its own subtree.
     */
    void move(Caller caller, String id, String newParentId) {
        try {
            relink(caller, id, newParentId);
        } finally {
            access.changed();
        }
        search.subtreeChanged(id);
    }

    private void relink(Caller caller, String id, String newParentId) {
        SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            FolderRows.lockTree(tx);
            Record row = FolderRows.row(tx, id);
            if (row.get(Folders.PARENT_ID) == null) {
                throw ArcaException.invalid("collection_not_movable", "A collection cannot be moved into a folder.");
            }
            access.require(tx, caller, id, AccessLevel.ADMIN);
            access.require(tx, caller, newParentId, AccessLevel.WRITE);
            if (tx.fetchExists(Ancestors.T, Ancestors.FOLDER_ID.eq(newParentId).and(Ancestors.ANCESTOR_ID.eq(id)))) {
                throw ArcaException.invalid("move_into_own_subtree", "A folder cannot be moved into itself or its own subfolders.");
            }
            if (newParentId.equals(row.get(Folders.PARENT_ID))) {
                return null;
            }
            SiblingNames.requireFree(tx, newParentId, row.get(Folders.NAME));
            String newCollection = FolderRows.lockedRow(tx, newParentId).get(Folders.COLLECTION_ID);
            FolderRows.lockSubtree(tx, id);
            SiblingNames.move(tx, id, newParentId);
            var subtree = select(Ancestors.FOLDER_ID).from(Ancestors.T).where(Ancestors.ANCESTOR_ID.eq(id));
            var oldAncestors = select(Ancestors.ANCESTOR_ID).from(Ancestors.T)
                    .where(Ancestors.FOLDER_ID.eq(id)).and(Ancestors.DEPTH.gt(0));
            // Closure table: cut the subtree's links to its old ancestors, then link it under the new parent.
            tx.deleteFrom(Ancestors.T)
                    .where(Ancestors.FOLDER_ID.in(subtree))
                    .and(Ancestors.ANCESTOR_ID.in(oldAncestors))
                    .execute();
            var below = Ancestors.T.as("below");
            var above = Ancestors.T.as("above");
            var belowFolder = DSL.field(DSL.name("below", Ancestors.FOLDER_ID.getName()), String.class);
            var belowAncestor = DSL.field(DSL.name("below", Ancestors.ANCESTOR_ID.getName()), String.class);
            var belowDepth = DSL.field(DSL.name("below", Ancestors.DEPTH.getName()), Integer.class);
            var aboveFolder = DSL.field(DSL.name("above", Ancestors.FOLDER_ID.getName()), String.class);
            var aboveAncestor = DSL.field(DSL.name("above", Ancestors.ANCESTOR_ID.getName()), String.class);
            var aboveDepth = DSL.field(DSL.name("above", Ancestors.DEPTH.getName()), Integer.class);
            tx.insertInto(Ancestors.T, Ancestors.FOLDER_ID, Ancestors.ANCESTOR_ID, Ancestors.DEPTH)
                    .select(DSL.select(belowFolder, aboveAncestor, belowDepth.plus(aboveDepth).plus(inline(1)))
                            .from(below).crossJoin(above)
                            .where(belowAncestor.eq(id)).and(aboveFolder.eq(newParentId)))
                    .execute();
            tx.update(Folders.T).set(Folders.PARENT_ID, newParentId).set(Folders.PARENT_KEY, newParentId)
                    .set(Folders.UPDATED_AT, stamp(Instant.now())).where(Folders.ID.eq(id)).execute();
            tx.update(Folders.T).set(Folders.COLLECTION_ID, newCollection)
                    .where(Folders.ID.in(select(Ancestors.FOLDER_ID).from(Ancestors.T).where(Ancestors.ANCESTOR_ID.eq(id))))
                    .execute();
            audit.append(tx, caller, "folder.move", "folder", id, "from=" + row.get(Folders.PARENT_ID) + " to=" + newParentId);
            return null;
        }));
    }

    /**
     * Copies a folder and everything in it under {@code targetParentId}. Files share their blobs, so no bytes
     * are copied; grants are not copied: the copy inherits those of its new place.
     */
    String copy(Caller caller, String id, String targetParentId, String newName) {
        String created = SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            access.require(tx, caller, id, AccessLevel.READ);
            access.require(tx, caller, targetParentId, AccessLevel.WRITE);
            if (tx.fetchExists(Ancestors.T, Ancestors.FOLDER_ID.eq(targetParentId).and(Ancestors.ANCESTOR_ID.eq(id)))) {
                throw ArcaException.invalid("copy_into_own_subtree", "A folder cannot be copied into itself or its own subfolders.");
            }
            Record source = FolderRows.row(tx, id);
            String name = newName == null ? source.get(Folders.NAME) : Names.requireValidName(newName);
            SiblingNames.requireFree(tx, targetParentId, name);
            String collection = FolderRows.lockedRow(tx, targetParentId).get(Folders.COLLECTION_ID);
            List<Record> subtree = tx.select(Folders.ALL).select(Ancestors.DEPTH).from(Ancestors.T)
                    .join(Folders.T).on(Folders.ID.eq(Ancestors.FOLDER_ID))
                    .where(Ancestors.ANCESTOR_ID.eq(id)).orderBy(Ancestors.DEPTH).fetch().stream().map(r -> (Record) r).toList();
            Map<String, String> newIds = new HashMap<>();
            for (Record r : subtree) {
                String oldId = r.get(Folders.ID);
                String copyId = Ids.newId();
                newIds.put(oldId, copyId);
                boolean top = oldId.equals(id);
                FolderRows.insertFolder(tx, copyId, top ? targetParentId : newIds.get(r.get(Folders.PARENT_ID)), collection,
                        top ? name : r.get(Folders.NAME), r.get(Folders.DESCRIPTION), caller);
                FolderRows.copyMetadata(tx, "folder", oldId, copyId);
                items.copyAllIn(tx, oldId, copyId, caller);
            }
            String copyId = newIds.get(id);
            audit.append(tx, caller, "folder.copy", "folder", copyId, "from=" + id + " to=" + targetParentId);
            return copyId;
        }));
        search.subtreeChanged(created);
        return created;
    }

    /**
     * Deletes a folder; one that holds anything needs {@code recursive}. An empty folder that is not a collection
     * and has no grants of its own needs WRITE; anything else ADMIN. Blobs stay until {@code gc}.
     */
    void delete(Caller caller, String id, boolean recursive) {
        List<Item> removed;
        try {
            removed = deleteRows(caller, id, recursive);
        } catch (IntegrityConstraintViolationException e) {
            // An upload or copy into the subtree committed while the delete collected it: nothing was deleted.
            throw ArcaException.conflict("folder_changed", "Something was added to the folder while it was being "
                    + "deleted; nothing was deleted, try again.");
        } finally {
            access.changed();
        }
        items.notifyDeleted(caller, removed);
        search.subtreeDeleted(id);
    }

    private List<Item> deleteRows(Caller caller, String id, boolean recursive) {
        return db.inTransaction(tx -> {
            access.require(tx, caller, id, AccessLevel.WRITE);
            // A move into this subtree, or a folder made in it, either finishes first and is deleted with it,
            // or waits and then finds its folder gone.
            FolderRows.lockTree(tx);
            FolderRows.lockSubtree(tx, id);
            boolean empty = !tx.fetchExists(Folders.T, Folders.PARENT_ID.eq(id)) && !tx.fetchExists(Items.T, Items.FOLDER_ID.eq(id));
            if (!empty && !recursive) {
                throw ArcaException.conflict("folder_not_empty", "The folder is not empty; delete it with recursive=true.");
            }
            // An empty folder without grants of its own is, like an item, something a writer may make and remove:
            // only its name and metadata go, and WRITE on it is then WRITE on its parent. A subtree, grants that
            // decide who sees what, or a whole collection are an ADMIN's to remove, as changing the ACL is.
            boolean collection = tx.fetchExists(Folders.T, Folders.ID.eq(id).and(Folders.PARENT_ID.isNull()));
            if (!empty || collection || tx.fetchExists(Acl.T, Acl.FOLDER_ID.eq(id))) {
                access.require(tx, caller, id, AccessLevel.ADMIN);
            }
            var subtree = select(Ancestors.FOLDER_ID).from(Ancestors.T).where(Ancestors.ANCESTOR_ID.eq(id));
            List<Item> gone = items.deleteAllIn(tx, subtree);
            tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq("folder")).and(Meta.TARGET_ID.in(subtree)).execute();
            tx.deleteFrom(Acl.T).where(Acl.FOLDER_ID.in(subtree)).execute();
            List<Record> byDepth = tx.select(Ancestors.FOLDER_ID, Ancestors.DEPTH).from(Ancestors.T)
                    .where(Ancestors.ANCESTOR_ID.eq(id)).orderBy(Ancestors.DEPTH.desc()).fetch().stream().map(r -> (Record) r).toList();
            // Deepest first, so no folder outlives its parent's row within the statement order H2 checks.
            int depth = Integer.MAX_VALUE;
            List<String> level = new ArrayList<>();
            for (Record r : byDepth) {
                if (r.get(Ancestors.DEPTH) != depth) {
                    FolderRows.deleteFolders(tx, level);
                    depth = r.get(Ancestors.DEPTH);
                }
                level.add(r.get(Ancestors.FOLDER_ID));
            }
            FolderRows.deleteFolders(tx, level);
            audit.append(tx, caller, "folder.delete", "folder", id, "recursive=" + recursive + " items=" + gone.size());
            return gone;
        });
    }

}
