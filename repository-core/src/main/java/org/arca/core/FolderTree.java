package org.arca.core;

import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.Tables.Acl;
import org.arca.core.Tables.Ancestors;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.access.Principal;
import org.arca.core.audit.AuditLog;
import org.arca.core.search.SearchIndex;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
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
    private final SubtreeChanges subtree;

    FolderTree(Database db, AccessControl access, AuditLog audit, ItemStore items, SearchIndex search) {
        this.db = db;
        this.access = access;
        this.audit = audit;
        this.items = items;
        this.search = search;
        this.subtree = new SubtreeChanges(db, access, audit, items, search);
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
            FolderRows.insertFolder(tx, id, null, id, valid, text, caller);
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
                .and(Folders.NAME.eq(name)).fetchOne()).map(r -> FolderRows.folder(r, access.levelOn(dsl, caller, r.get(Folders.ID))));
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
                result.add(FolderRows.folder(r, lvl));
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
            Record parent = FolderRows.lockedRow(tx, parentId);
            SiblingNames.requireFree(tx, parentId, valid);
            FolderRows.insertFolder(tx, id, parentId, parent.get(Folders.COLLECTION_ID), valid, text, caller);
            audit.append(tx, caller, "folder.create", "folder", id, "parent=" + parentId + " name=" + valid);
            return null;
        }));
        search.folderChanged(id);
        return get(caller, id);
    }

    public Folder get(Caller caller, String id) {
        DSLContext dsl = db.dsl();
        AccessLevel level = access.require(dsl, caller, id, AccessLevel.READ);
        return FolderRows.folder(FolderRows.row(dsl, id), level);
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
                result.add(FolderRows.folder(r, level));
            }
        }
        return result;
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
                folders.add(FolderRows.folder(r, levels.get(r.get(Folders.ID))));
            }
        }
        int itemLimit = limit - folders.size();
        int itemOffset = Math.max(0, offset - folderCount);
        List<Item> itemPage = itemLimit > 0 ? items.page(dsl, id, level, itemLimit, itemOffset) : List.of();
        return new Children(folders, itemPage, (long) folderCount + itemCount, limit, offset);
    }

    public Folder update(Caller caller, String id, String newName, String newDescription) {
        subtree.update(caller, id, newName, newDescription);
        return get(caller, id);
    }

    /**
     * Moves a folder under another parent, in the same or another collection. Needs ADMIN on the folder
     * (its inherited grants change) and WRITE on the new parent; a folder cannot go into its own subtree.
     */
    public Folder move(Caller caller, String id, String newParentId) {
        subtree.move(caller, id, newParentId);
        return get(caller, id);
    }

    /**
     * Copies a folder and everything in it under {@code targetParentId}. Files share their blobs, so no bytes
     * are copied; grants are not copied: the copy inherits those of its new place.
     */
    public Folder copy(Caller caller, String id, String targetParentId, String newName) {
        return get(caller, subtree.copy(caller, id, targetParentId, newName));
    }

    /**
     * Deletes a folder; one that holds anything needs {@code recursive}. An empty folder that is not a collection
     * and has no grants of its own needs WRITE; anything else ADMIN. Blobs stay until {@code gc}.
     */
    public void delete(Caller caller, String id, boolean recursive) {
        subtree.delete(caller, id, recursive);
    }
}
