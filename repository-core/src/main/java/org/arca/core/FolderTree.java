package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
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
import org.arca.core.Tables.TreeLock;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * Collections and the folder trees under them: create, read, list, rename, move, copy and delete, each
 * behind {@link AccessControl}. A collection is a folder without a parent, so its id is a folder id too.
 */
public final class FolderTree {

    static final String NO_PARENT = "-";

    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;
    private final ItemStore items;
    private final SearchIndex search;

    FolderTree(Database db, AccessControl access, AuditLog audit, ItemStore items, SearchIndex search) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.items = items;
        this.search = search;
    }

    /** Any signed-in user may start a collection; they get ADMIN on it. */
    public Folder createCollection(Caller caller, String name, String description) {
        if (!caller.signedIn() && !caller.isAdmin()) {
            throw ArcaException.unauthorized("Sign in to create a collection.");
        }
        String valid = Names.requireValidName(name);
        String text = Names.optionalText(description, "description", 4000);
        String id = Ids.newId();
        SiblingNames.translate(valid, () -> db.inTransaction(tx -> {
            SiblingNames.requireFree(tx, NO_PARENT, valid);
            insertFolder(tx, id, null, id, valid, text, caller);
            if (caller.signedIn()) {
                access.grant(tx, id, new Principal.UserPrincipal(caller.userId()), AccessLevel.ADMIN);
            }
            audit.append(tx, caller, "collection.create", "folder", id, "name=" + valid);
            return null;
        }));
        search.folderChanged(id);
        return get(caller, id);
    }

    /**
     * The caller's private folder, a collection only they (and admins) can see, made on first use. Surfaces
     * that receive data without a target (a plain STOW-RS, later SFTP's home/) put it here.
     */
    public Folder home(Caller caller) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in first.");
        }
        String name = homeName(caller);
        String existing = db.dsl().select(Folders.ID).from(Folders.T).where(Folders.PARENT_KEY.eq(NO_PARENT))
                .and(Folders.NAME.eq(name)).and(Folders.CREATED_BY.eq(caller.userId())).fetchOne(Folders.ID);
        if (existing != null) {
            return get(caller, existing);
        }
        try {
            return createCollection(caller, name, "Private to " + caller.login());
        } catch (ArcaException e) {
            if (!"name_taken".equals(e.code())) {
                throw e;
            }
            String raced = db.dsl().select(Folders.ID).from(Folders.T).where(Folders.PARENT_KEY.eq(NO_PARENT))
                    .and(Folders.NAME.eq(name)).and(Folders.CREATED_BY.eq(caller.userId())).fetchOne(Folders.ID);
            if (raced == null) {
                throw e;
            }
            return get(caller, raced);
        }
    }

    /**
     * The id of the folder of that name in the caller's home, made (with the home) if missing: where a surface
     * without a folder in its address stores (STOW-RS to /studies). One query when both exist, as they do after the
     * first upload; the caller's access to it is for the surface's own check to decide.
     */
    public String homeChildId(Caller caller, String name) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in first.");
        }
        var home = Folders.T.as("home");
        java.util.function.Function<String, Field<String>> homes = column -> DSL.field(DSL.name("home", column), String.class);
        String found = db.dsl().select(Folders.ID).from(Folders.T).join(home).on(Folders.PARENT_ID.eq(homes.apply("id")))
                .where(homes.apply("parent_key").eq(NO_PARENT)).and(homes.apply("name").eq(homeName(caller)))
                .and(homes.apply("created_by").eq(caller.userId())).and(Folders.NAME.eq(name)).fetchOne(Folders.ID);
        return found != null ? found : child(caller, home(caller).id(), name).id();
    }

    private static String homeName(Caller caller) {
        return "Home of " + caller.login();
    }

    /** The folder of that name under a parent, made if missing (WRITE on the parent needed to make it). */
    public Folder child(Caller caller, String parentId, String name) {
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, parentId, AccessLevel.READ);
        java.util.function.Supplier<String> existing = () -> dsl.select(Folders.ID).from(Folders.T)
                .where(Folders.PARENT_ID.eq(parentId)).and(Folders.NAME.eq(name)).fetchOne(Folders.ID);
        String found = existing.get();
        if (found != null) {
            return get(caller, found);
        }
        try {
            return create(caller, parentId, name, null);
        } catch (ArcaException e) {
            // Two first uploads at once: the other one made it; use theirs.
            String raced = existing.get();
            if (!"name_taken".equals(e.code()) || raced == null) {
                throw e;
            }
            return get(caller, raced);
        }
    }

    /**
     * The folder of that name under a parent the caller may read, if there is one: a lookup by name for
     * surfaces that address folders by path (SFTP), without paging through the children.
     */
    public java.util.Optional<Folder> find(Caller caller, String parentId, String name) {
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, parentId, AccessLevel.READ);
        // A grant on the child itself may give more than the parent's level.
        return java.util.Optional.ofNullable(dsl.select(Folders.ALL).from(Folders.T).where(Folders.PARENT_ID.eq(parentId))
                .and(Folders.NAME.eq(name)).fetchOne()).map(r -> folder(r, access.levelOn(dsl, caller, r.get(Folders.ID))));
    }

    /** Collections the caller may read, by name. One query. */
    public List<Folder> collections(Caller caller) {
        DSLContext dsl = db.dsl();
        var level = max(Acl.LEVEL).as("lvl");
        var rows = dsl.select(Folders.ALL).select(level).from(Folders.T)
                .leftJoin(Acl.T).on(Acl.FOLDER_ID.eq(Folders.ID)).and(AccessControl.grantedTo(caller))
                .where(Folders.PARENT_ID.isNull())
                .groupBy(Folders.ALL)
                .orderBy(Folders.NAME)
                .fetch();
        List<Folder> result = new ArrayList<>();
        for (Record r : rows) {
            Integer rank = r.get(level);
            AccessLevel lvl = caller.isAdmin() ? AccessLevel.ADMIN : rank == null ? AccessLevel.NONE : AccessLevel.ofRank(rank);
            if (lvl != AccessLevel.NONE) {
                result.add(folder(r, lvl));
            }
        }
        return result;
    }

    /** Folders shared with the caller that they cannot reach from a collection they may read. */
    public List<Folder> sharedWithMe(Caller caller) {
        DSLContext dsl = db.dsl();
        List<Folder> result = new ArrayList<>();
        for (String id : access.sharedRoots(dsl, caller)) {
            result.add(get(caller, id));
        }
        result.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return result;
    }

    public Folder create(Caller caller, String parentId, String name, String description) {
        String valid = Names.requireValidName(name);
        String text = Names.optionalText(description, "description", 4000);
        String id = Ids.newId();
        SiblingNames.translate(valid, () -> db.inTransaction(tx -> {
            access.require(tx, caller, parentId, AccessLevel.WRITE);
            // Locked, so a move of the parent waits for this folder, or this reads the parent's ancestors after it.
            Record parent = lockedRow(tx, parentId);
            SiblingNames.requireFree(tx, parentId, valid);
            insertFolder(tx, id, parentId, parent.get(Folders.COLLECTION_ID), valid, text, caller);
            audit.append(tx, caller, "folder.create", "folder", id, "parent=" + parentId + " name=" + valid);
            return null;
        }));
        search.folderChanged(id);
        return get(caller, id);
    }

    public Folder get(Caller caller, String id) {
        DSLContext dsl = db.dsl();
        AccessLevel level = access.require(dsl, caller, id, AccessLevel.READ);
        return folder(row(dsl, id), level);
    }

    /** The readable ancestors of a folder, collection first, not including the folder itself. Two queries. */
    public List<Folder> ancestors(Caller caller, String id) {
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, id, AccessLevel.READ);
        Map<String, AccessLevel> levels = access.levelsAlongPath(dsl, caller, id);
        List<Folder> result = new ArrayList<>();
        for (Record r : dsl.select(Folders.ALL).from(Ancestors.T).join(Folders.T).on(Folders.ID.eq(Ancestors.ANCESTOR_ID))
                .where(Ancestors.FOLDER_ID.eq(id)).and(Ancestors.DEPTH.gt(0)).orderBy(Ancestors.DEPTH.desc()).fetch()) {
            AccessLevel level = levels.getOrDefault(r.get(Folders.ID), AccessLevel.NONE);
            if (level != AccessLevel.NONE) {
                result.add(folder(r, level));
            }
        }
        return result;
    }

    /**
     * One page of a folder's children, folders then items by name. A constant number of queries whatever
     * the page size: the folder's level, the child folders' own grants, the page of items and their files.
     */
    public Children children(Caller caller, String id, int limit, int offset) {
        if (limit < 1 || limit > 10_000 || offset < 0) {
            throw ArcaException.invalid("invalid_page", "limit is 1 to 10000 and offset is 0 or more.");
        }
        DSLContext dsl = db.dsl();
        AccessLevel level = access.require(dsl, caller, id, AccessLevel.READ);
        int folderCount = dsl.fetchCount(Folders.T, Folders.PARENT_ID.eq(id));
        int itemCount = dsl.fetchCount(Items.T, Items.FOLDER_ID.eq(id));
        List<Folder> folders = new ArrayList<>();
        if (offset < folderCount) {
            List<Record> rows = dsl.select(Folders.ALL).from(Folders.T).where(Folders.PARENT_ID.eq(id))
                    .orderBy(Folders.NAME).limit(limit).offset(offset).fetch().stream().map(r -> (Record) r).toList();
            Map<String, AccessLevel> levels = access.levelsOnChildren(dsl, caller, level,
                    rows.stream().map(r -> r.get(Folders.ID)).toList());
            for (Record r : rows) {
                folders.add(folder(r, levels.get(r.get(Folders.ID))));
            }
        }
        int itemLimit = limit - folders.size();
        int itemOffset = Math.max(0, offset - folderCount);
        List<Item> itemPage = itemLimit > 0 ? items.page(dsl, id, level, itemLimit, itemOffset) : List.of();
        return new Children(folders, itemPage, (long) folderCount + itemCount, limit, offset);
    }

    public Folder update(Caller caller, String id, String newName, String newDescription) {
        try {
            rename(caller, id, newName, newDescription);
        } finally {
            access.changed();
        }
        search.subtreeChanged(id);
        return get(caller, id);
    }

    private void rename(Caller caller, String id, String newName, String newDescription) {
        SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            Record row = row(tx, id);
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
    public Folder move(Caller caller, String id, String newParentId) {
        try {
            relink(caller, id, newParentId);
        } finally {
            access.changed();
        }
        search.subtreeChanged(id);
        return get(caller, id);
    }

    private void relink(Caller caller, String id, String newParentId) {
        SiblingNames.translate(null, () -> db.inTransaction(tx -> {
            lockTree(tx);
            Record row = row(tx, id);
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
            String newCollection = lockedRow(tx, newParentId).get(Folders.COLLECTION_ID);
            lockSubtree(tx, id);
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
    public Folder copy(Caller caller, String id, String targetParentId, String newName) {
        String created = SiblingNames.translate(newName, () -> db.inTransaction(tx -> {
            access.require(tx, caller, id, AccessLevel.READ);
            access.require(tx, caller, targetParentId, AccessLevel.WRITE);
            if (tx.fetchExists(Ancestors.T, Ancestors.FOLDER_ID.eq(targetParentId).and(Ancestors.ANCESTOR_ID.eq(id)))) {
                throw ArcaException.invalid("copy_into_own_subtree", "A folder cannot be copied into itself or its own subfolders.");
            }
            Record source = row(tx, id);
            String name = newName == null ? source.get(Folders.NAME) : Names.requireValidName(newName);
            SiblingNames.requireFree(tx, targetParentId, name);
            String collection = lockedRow(tx, targetParentId).get(Folders.COLLECTION_ID);
            List<Record> subtree = tx.select(Folders.ALL).select(Ancestors.DEPTH).from(Ancestors.T)
                    .join(Folders.T).on(Folders.ID.eq(Ancestors.FOLDER_ID))
                    .where(Ancestors.ANCESTOR_ID.eq(id)).orderBy(Ancestors.DEPTH).fetch().stream().map(r -> (Record) r).toList();
            Map<String, String> newIds = new HashMap<>();
            for (Record r : subtree) {
                String oldId = r.get(Folders.ID);
                String copyId = Ids.newId();
                newIds.put(oldId, copyId);
                boolean top = oldId.equals(id);
                insertFolder(tx, copyId, top ? targetParentId : newIds.get(r.get(Folders.PARENT_ID)), collection,
                        top ? name : r.get(Folders.NAME), r.get(Folders.DESCRIPTION), caller);
                copyMetadata(tx, "folder", oldId, copyId);
                items.copyAllIn(tx, oldId, copyId, caller);
            }
            String copyId = newIds.get(id);
            audit.append(tx, caller, "folder.copy", "folder", copyId, "from=" + id + " to=" + targetParentId);
            return copyId;
        }));
        search.subtreeChanged(created);
        return get(caller, created);
    }

    /**
     * Deletes a folder; one that holds anything needs {@code recursive}. An empty folder that is not a collection
     * and has no grants of its own needs WRITE; anything else ADMIN. Blobs stay until {@code gc}.
     */
    public void delete(Caller caller, String id, boolean recursive) {
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
            lockTree(tx);
            lockSubtree(tx, id);
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
                    deleteFolders(tx, level);
                    depth = r.get(Ancestors.DEPTH);
                }
                level.add(r.get(Ancestors.FOLDER_ID));
            }
            deleteFolders(tx, level);
            audit.append(tx, caller, "folder.delete", "folder", id, "recursive=" + recursive + " items=" + gone.size());
            return gone;
        });
    }

    /**
     * Every folder of a readable subtree with its path relative to the root, for archives. Parents come first.
     * The paths follow parent links down from the root, each folder once, so a folder the closure table lists
     * but its parent links do not reach (a concurrent change) is left out rather than given a broken path.
     */
    public List<FolderPath> subtree(Caller caller, String id) {
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, id, AccessLevel.READ);
        Map<String, List<Record>> byParent = new HashMap<>();
        Record root = null;
        for (Record r : dsl.select(Folders.ID, Folders.PARENT_ID, Folders.NAME).from(Ancestors.T)
                .join(Folders.T).on(Folders.ID.eq(Ancestors.FOLDER_ID))
                .where(Ancestors.ANCESTOR_ID.eq(id)).orderBy(Folders.NAME).fetch()) {
            if (r.get(Folders.ID).equals(id)) {
                root = r;
            } else if (r.get(Folders.PARENT_ID) != null) {
                byParent.computeIfAbsent(r.get(Folders.PARENT_ID), k -> new ArrayList<>()).add(r);
            }
        }
        if (root == null) {
            throw ArcaException.notFound("The folder");
        }
        List<FolderPath> result = new ArrayList<>();
        result.add(new FolderPath(id, root.get(Folders.NAME)));
        java.util.Set<String> seen = new java.util.HashSet<>(List.of(id));
        for (int next = 0; next < result.size(); next++) {
            FolderPath parent = result.get(next);
            for (Record child : byParent.getOrDefault(parent.folderId(), List.of())) {
                if (seen.add(child.get(Folders.ID))) {
                    result.add(new FolderPath(child.get(Folders.ID), parent.path() + "/" + child.get(Folders.NAME)));
                }
            }
        }
        return result;
    }

    /** A folder of a subtree and its path from the subtree's root, the root's name first. */
    public record FolderPath(String folderId, String path) {
    }

    private static void deleteFolders(DSLContext tx, List<String> ids) {
        if (!ids.isEmpty()) {
            SiblingNames.release(tx, ids);
            tx.deleteFrom(Ancestors.T).where(Ancestors.FOLDER_ID.in(ids)).execute();
            tx.deleteFrom(Folders.T).where(Folders.ID.in(ids)).execute();
            ids.clear();
        }
    }

    private void insertFolder(DSLContext tx, String id, String parentId, String collectionId, String name,
                              String description, Caller caller) {
        Instant now = Instant.now();
        tx.insertInto(Folders.T)
                .set(Folders.ID, id).set(Folders.PARENT_ID, parentId)
                .set(Folders.PARENT_KEY, parentId == null ? NO_PARENT : parentId)
                .set(Folders.COLLECTION_ID, collectionId).set(Folders.NAME, name).set(Folders.DESCRIPTION, description)
                .set(Folders.CREATED_BY, caller.userId()).set(Folders.CREATED_AT, stamp(now)).set(Folders.UPDATED_AT, stamp(now))
                .execute();
        SiblingNames.claim(tx, parentId == null ? NO_PARENT : parentId, name, id);
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

    /**
     * Takes the tree's lock: moves and folder deletes run one at a time, each seeing the tree as the one before
     * left it, so two moves can never each pass the cycle check against the other's old tree.
     */
    private static void lockTree(DSLContext tx) {
        tx.select(TreeLock.ID).from(TreeLock.T).where(TreeLock.ID.eq(1)).forUpdate().fetch();
    }

    /** Locks a folder's row while its subtree is reshaped: a folder made under it waits, then sees the new tree. */
    private static Record lockedRow(DSLContext tx, String id) {
        Record r = exclusive(tx, tx.select(Folders.ALL).from(Folders.T).where(Folders.ID.eq(id))).fetchOne();
        if (r == null) {
            throw ArcaException.notFound("The folder");
        }
        return r;
    }

    private static void lockSubtree(DSLContext tx, String id) {
        exclusive(tx, tx.select(Folders.ID).from(Folders.T)
                .where(Folders.ID.in(select(Ancestors.FOLDER_ID).from(Ancestors.T).where(Ancestors.ANCESTOR_ID.eq(id)))))
                .fetch();
    }

    /**
     * Locks the rows against each other's writers but, on PostgreSQL, not against the key-share lock an insert
     * of an item or folder takes on its parent's row: an upload into the folder need not wait, and an upload
     * holding that lock while it waits for a name this transaction took would deadlock with it.
     */
    private static <R extends Record> org.jooq.SelectForUpdateOfStep<R> exclusive(DSLContext tx,
                                                                                 org.jooq.SelectForUpdateStep<R> query) {
        return tx.dialect().family() == SQLDialect.POSTGRES ? query.forNoKeyUpdate() : query.forUpdate();
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
}
