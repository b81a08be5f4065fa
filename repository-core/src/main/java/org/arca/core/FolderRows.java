package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.List;
import org.arca.core.Tables.Ancestors;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Meta;
import org.arca.core.Tables.TreeLock;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** Folders as rows: reading, inserting and locking them, for the classes that read and change the tree. */
final class FolderRows {
    private FolderRows() {
    }

    static void insertFolder(DSLContext tx, String id, String parentId, String collectionId, String name,
                              String description, Caller caller) {
        Instant now = Instant.now();
        tx.insertInto(Folders.T)
                .set(Folders.ID, id).set(Folders.PARENT_ID, parentId)
                .set(Folders.PARENT_KEY, parentId == null ? FolderTree.NO_PARENT : parentId)
                .set(Folders.COLLECTION_ID, collectionId).set(Folders.NAME, name).set(Folders.DESCRIPTION, description)
                .set(Folders.CREATED_BY, caller.userId()).set(Folders.CREATED_AT, stamp(now)).set(Folders.UPDATED_AT, stamp(now))
                .execute();
        SiblingNames.claim(tx, parentId == null ? FolderTree.NO_PARENT : parentId, name, id);
        tx.insertInto(Ancestors.T, Ancestors.FOLDER_ID, Ancestors.ANCESTOR_ID, Ancestors.DEPTH)
                .values(id, id, 0).execute();
        if (parentId != null) {
            tx.insertInto(Ancestors.T, Ancestors.FOLDER_ID, Ancestors.ANCESTOR_ID, Ancestors.DEPTH)
                    .select(DSL.select(inline(id), Ancestors.ANCESTOR_ID, Ancestors.DEPTH.plus(inline(1)))
                            .from(Ancestors.T).where(Ancestors.FOLDER_ID.eq(parentId)))
                    .execute();
        }
    }

    static void copyMetadata(DSLContext tx, String type, String fromId, String toId) {
        tx.insertInto(Meta.T, Meta.TARGET_TYPE, Meta.TARGET_ID, Meta.KEY, Meta.VALUE_TYPE, Meta.TEXT_VALUE, Meta.NUMBER_VALUE,
                        Meta.DATE_VALUE)
                .select(DSL.select(inline(type), inline(toId), Meta.KEY, Meta.VALUE_TYPE, Meta.TEXT_VALUE, Meta.NUMBER_VALUE,
                        Meta.DATE_VALUE).from(Meta.T).where(Meta.TARGET_TYPE.eq(type)).and(Meta.TARGET_ID.eq(fromId)))
                .execute();
    }

    static Record row(DSLContext dsl, String id) {
        Record r = dsl.select(Folders.ALL).from(Folders.T).where(Folders.ID.eq(id)).fetchOne();
        if (r == null) {
            throw ArcaException.notFound("The folder");
        }
        return r;
    }

    static Folder folder(Record r, AccessLevel level) {
        return new Folder(r.get(Folders.ID), r.get(Folders.PARENT_ID), r.get(Folders.COLLECTION_ID), r.get(Folders.NAME),
                r.get(Folders.DESCRIPTION), r.get(Folders.CREATED_BY), instant(r.get(Folders.CREATED_AT)),
                instant(r.get(Folders.UPDATED_AT)), level);
    }

    /**
     * Takes the tree's lock: moves and folder deletes run one at a time, each seeing the tree as the one before
     * left it, so two moves can never each pass the cycle check against the other's old tree.
     */
    static void lockTree(DSLContext tx) {
        tx.select(TreeLock.ID).from(TreeLock.T).where(TreeLock.ID.eq(1)).forUpdate().fetch();
    }

    /** Locks a folder's row while its subtree is reshaped: a folder made under it waits, then sees the new tree. */
    static Record lockedRow(DSLContext tx, String id) {
        Record r = exclusive(tx, tx.select(Folders.ALL).from(Folders.T).where(Folders.ID.eq(id))).fetchOne();
        if (r == null) {
            throw ArcaException.notFound("The folder");
        }
        return r;
    }

    static void lockSubtree(DSLContext tx, String id) {
        exclusive(tx, tx.select(Folders.ID).from(Folders.T)
                .where(Folders.ID.in(select(Ancestors.FOLDER_ID).from(Ancestors.T).where(Ancestors.ANCESTOR_ID.eq(id)))))
                .fetch();
    }

    /**
     * Locks the rows against each other's writers but, on PostgreSQL, not against the key-share lock an insert
     * of an item or folder takes on its parent's row: an upload into the folder need not wait, and an upload
     * holding that lock while it waits for a name this transaction took would deadlock with it.
     */
    static <R extends Record> org.jooq.SelectForUpdateOfStep<R> exclusive(DSLContext tx,
                                                                                 org.jooq.SelectForUpdateStep<R> query) {
        return tx.dialect().family() == SQLDialect.POSTGRES ? query.forNoKeyUpdate() : query.forUpdate();
    }

    static void deleteFolders(DSLContext tx, List<String> ids) {
        if (!ids.isEmpty()) {
            SiblingNames.release(tx, ids);
            tx.deleteFrom(Ancestors.T).where(Ancestors.FOLDER_ID.in(ids)).execute();
            tx.deleteFrom(Folders.T).where(Folders.ID.in(ids)).execute();
            ids.clear();
        }
    }
}
