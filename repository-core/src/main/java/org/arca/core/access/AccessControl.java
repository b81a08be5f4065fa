package org.arca.core.access;

import static org.jooq.impl.DSL.max;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.ItemStore;
import org.arca.core.Tables.Acl;
import org.arca.core.Tables.Ancestors;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Groups;
import org.arca.core.Tables.Users;
import org.arca.core.Tables;
import org.arca.core.accounts.Accounts;
import org.arca.core.audit.AuditLog;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The one access check of Arca. A caller's level on a folder is the highest grant to any of their
 * principals on the folder or an ancestor; admins hold ADMIN everywhere. Every service of the core asks
 * here before it reads or writes, so every surface answers the same way: a folder the caller may not
 * read is "not found", one they may read but not change is "forbidden".
 */
public final class AccessControl {

    private final Database db;
    private final Accounts accounts;
    private final AuditLog audit;

    /** Advanced after every change that can alter a folder's path or who may see it ({@link #version}). */
    private final AtomicLong version = new AtomicLong();

    public AccessControl(Database db, Accounts accounts, AuditLog audit) {
        this.db = db;
        this.accounts = accounts;
        this.audit = audit;
    }

    /**
     * A number that changes after every change to a folder's name, place or existence and to any grant, so a
     * surface may keep what it resolved from a path (an SFTP session, the folder of each directory it writes
     * into) while this stays the same, and ask again when it moves. It lives in this process, as Arca does:
     * one process per database.
     */
    public long version() {
        return version.get();
    }

    /**
     * Told after such a change ended, committed or not (an extra advance costs only a lookup); never before
     * its commit, or a surface could keep what it resolved from the rows as they were under the new number.
     */
    public void changed() {
        version.incrementAndGet();
    }

    /** The ACL rows that speak for this caller. Anonymous callers are only "public". */
    public static Condition grantedTo(Caller caller) {
        Condition condition = Acl.PRINCIPAL_TYPE.eq("public");
        if (caller.signedIn()) {
            condition = condition.or(Acl.PRINCIPAL_TYPE.eq("everyone"))
                    .or(Acl.PRINCIPAL_TYPE.eq("user").and(Acl.PRINCIPAL_ID.eq(caller.userId())));
            if (!caller.groupIds().isEmpty()) {
                condition = condition.or(Acl.PRINCIPAL_TYPE.eq("group").and(Acl.PRINCIPAL_ID.in(caller.groupIds())));
            }
        }
        return condition;
    }

    /** The caller's level on an existing folder: one query over the folder's ancestors' grants. */
    public AccessLevel levelOn(DSLContext dsl, Caller caller, String folderId) {
        if (caller.isAdmin()) {
            return AccessLevel.ADMIN;
        }
        return level(dsl.select(grantedRank(caller, folderId)).fetchOne(0, Integer.class));
    }

    /**
     * The two lookups of {@link #require} as fields, for a caller that runs them in one query with lookups of its
     * own ({@link ItemStore#checkReplaceableUpload}) and hands the values to {@link #decide}: whether the folder
     * exists, and the highest rank granted to the caller on it or above (null if none).
     */
    public Field<Boolean> folderExists(String folderId) {
        return DSL.field(DSL.exists(DSL.selectOne().from(Folders.T).where(Folders.ID.eq(folderId))));
    }

    /** See {@link #folderExists}. Admins need no lookup: they hold ADMIN everywhere. */
    public Field<Integer> grantedRank(Caller caller, String folderId) {
        if (caller.isAdmin()) {
            return DSL.inline(AccessLevel.ADMIN.rank());
        }
        return DSL.field(DSL.select(max(Acl.LEVEL)).from(Ancestors.T)
                .join(Acl.T).on(Acl.FOLDER_ID.eq(Ancestors.ANCESTOR_ID))
                .where(Ancestors.FOLDER_ID.eq(folderId)).and(grantedTo(caller)));
    }

    private static AccessLevel level(Integer rank) {
        return rank == null ? AccessLevel.NONE : AccessLevel.ofRank(rank);
    }

    /**
     * The caller's level on a folder and on each of its ancestors, from one query: the grants along the
     * chain, accumulated from the collection down.
     */
    public Map<String, AccessLevel> levelsAlongPath(DSLContext dsl, Caller caller, String folderId) {
        List<Record> chain = dsl.select(Ancestors.ANCESTOR_ID, Ancestors.DEPTH, max(Acl.LEVEL).as("lvl")).from(Ancestors.T)
                .leftJoin(Acl.T).on(Acl.FOLDER_ID.eq(Ancestors.ANCESTOR_ID)).and(grantedTo(caller))
                .where(Ancestors.FOLDER_ID.eq(folderId))
                .groupBy(Ancestors.ANCESTOR_ID, Ancestors.DEPTH)
                .orderBy(Ancestors.DEPTH.desc())
                .fetch().stream().map(r -> (Record) r).toList();
        Map<String, AccessLevel> levels = new HashMap<>();
        AccessLevel running = caller.isAdmin() ? AccessLevel.ADMIN : AccessLevel.NONE;
        for (Record r : chain) {
            Integer rank = r.get("lvl", Integer.class);
            if (rank != null) {
                running = AccessLevel.max(running, AccessLevel.ofRank(rank));
            }
            levels.put(r.get(Ancestors.ANCESTOR_ID), running);
        }
        return levels;
    }

    /**
     * Levels on many folders at once, given the level every one of them inherits from a common parent:
     * one query for the grants placed on the folders themselves.
     */
    public Map<String, AccessLevel> levelsOnChildren(DSLContext dsl, Caller caller, AccessLevel inherited, List<String> folderIds) {
        Map<String, AccessLevel> levels = new HashMap<>();
        for (String id : folderIds) {
            levels.put(id, inherited);
        }
        if (caller.isAdmin() || folderIds.isEmpty() || inherited == AccessLevel.ADMIN) {
            return levels;
        }
        dsl.select(Acl.FOLDER_ID, max(Acl.LEVEL)).from(Acl.T)
                .where(Acl.FOLDER_ID.in(folderIds)).and(grantedTo(caller))
                .groupBy(Acl.FOLDER_ID)
                .fetch()
                .forEach(r -> levels.merge(r.value1(), AccessLevel.ofRank(r.value2()), AccessLevel::max));
        return levels;
    }

    /**
     * Checks that the folder exists and the caller holds {@code needed} on it, and returns their level.
     * Hidden folders (level NONE) are NOT_FOUND, to anonymous callers too, so existence never leaks; visible
     * ones with too little access are FORBIDDEN, or UNAUTHORIZED for anonymous callers, who might do more
     * after signing in.
     */
    public AccessLevel require(DSLContext dsl, Caller caller, String folderId, AccessLevel needed) {
        return require(dsl, caller, folderId, needed, null);
    }

    /**
     * {@link #require} for the services of other modules, which ask this one decision rather than derive their own
     * from {@link #levelOn}.
     */
    public AccessLevel require(Caller caller, String folderId, AccessLevel needed) {
        return require(db.dsl(), caller, folderId, needed, null);
    }

    /**
     * As {@link #require(Caller, String, AccessLevel)} for a folder with a part to play in the request, named in the
     * refusals ("The output folder") so the caller learns which of the folders they named is the problem.
     */
    public AccessLevel require(Caller caller, String folderId, AccessLevel needed, String role) {
        return require(db.dsl(), caller, folderId, needed, role);
    }

    private AccessLevel require(DSLContext dsl, Caller caller, String folderId, AccessLevel needed, String role) {
        if (folderId == null || !dsl.fetchExists(Folders.T, Folders.ID.eq(folderId))) {
            throw ArcaException.notFound(role == null ? "The folder" : role);
        }
        return requireLevel(caller, true, levelOn(dsl, caller, folderId), needed, role);
    }

    /**
     * The rule for things that belong to one user (jobs, tokens, keys, the account itself): their owner and admins
     * see them; to anyone else they do not exist, so {@code what} ("The job") is "not found".
     */
    public static void requireOwnerOrAdmin(Caller caller, String ownerId, String what) {
        if (!isOwnerOrAdmin(caller, ownerId)) {
            throw ArcaException.notFound(what);
        }
    }

    /** See {@link #requireOwnerOrAdmin}; anonymous callers own nothing. */
    public static boolean isOwnerOrAdmin(Caller caller, String ownerId) {
        return caller.isAdmin() || (caller.signedIn() && caller.userId().equals(ownerId));
    }

    /**
     * {@link #require} on the values of {@link #folderExists} and {@link #grantedRank}, fetched by the caller in a
     * query of its own.
     */
    public AccessLevel decide(Caller caller, boolean exists, Integer grantedRank, AccessLevel needed) {
        return requireLevel(caller, exists, level(grantedRank), needed, null);
    }

    private static AccessLevel requireLevel(Caller caller, boolean exists, AccessLevel level, AccessLevel needed,
                                            String role) {
        if (!exists || level == AccessLevel.NONE) {
            throw ArcaException.notFound(role == null ? "The folder" : role);
        }
        if (!level.atLeast(needed)) {
            if (!caller.signedIn()) {
                throw ArcaException.unauthorized("Sign in to change this folder.");
            }
            throw ArcaException.forbidden(role == null ? "You need " + needed + " access here; you have " + level + "."
                    : "You need " + needed + " access to " + Character.toLowerCase(role.charAt(0)) + role.substring(1) + ".");
        }
        return level;
    }

    public AccessLevel levelOn(Caller caller, String folderId) {
        if (!db.dsl().fetchExists(Folders.T, Folders.ID.eq(folderId))) {
            return AccessLevel.NONE;
        }
        return levelOn(db.dsl(), caller, folderId);
    }

    /**
     * A condition for queries of other modules' tables (the DICOM index) that keeps only rows whose item
     * the caller may read, so filtering happens inside the query and counts and paging stay right.
     */
    public Condition readableItem(Caller caller, org.jooq.Field<String> itemId) {
        if (caller.isAdmin()) {
            return DSL.noCondition();
        }
        return DSL.exists(DSL.selectOne().from(Tables.Items.T)
                .join(Ancestors.T).on(Ancestors.FOLDER_ID.eq(Tables.Items.FOLDER_ID))
                .join(Acl.T).on(Acl.FOLDER_ID.eq(Ancestors.ANCESTOR_ID))
                .where(Tables.Items.ID.eq(itemId)).and(grantedTo(caller)));
    }

    /**
     * The folders on which the caller holds a grant (any grant is at least READ), or empty for admins, who
     * read everything. A search index that stores each document's ancestor folders filters on these inside
     * its query, which is the same rule as {@link #levelOn}: readable means a grant on the folder or above.
     */
    public Optional<Set<String>> readableRoots(Caller caller) {
        if (caller.isAdmin()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(java.util.Set.copyOf(db.dsl().selectDistinct(Acl.FOLDER_ID).from(Acl.T)
                .where(grantedTo(caller)).fetch(Acl.FOLDER_ID)));
    }

    /** A condition keeping rows whose item lies in the folder or anywhere below it. */
    public Condition itemWithin(String folderId, org.jooq.Field<String> itemId) {
        return DSL.exists(DSL.selectOne().from(Tables.Items.T)
                .join(Ancestors.T).on(Ancestors.FOLDER_ID.eq(Tables.Items.FOLDER_ID))
                .where(Tables.Items.ID.eq(itemId)).and(Ancestors.ANCESTOR_ID.eq(folderId)));
    }

    /** A folder's ACL as the API shows it. */
    public record FolderAcl(List<AclEntry> entries, List<InheritedEntry> inherited) {
        public FolderAcl {
            entries = List.copyOf(entries);
            inherited = List.copyOf(inherited);
        }
    }

    /** A grant on an ancestor, which holds here too. */
    public record InheritedEntry(String principal, AccessLevel level, String folderId, String folderName) {
    }

    /** Reading and changing an ACL need ADMIN on the folder. */
    public FolderAcl acl(Caller caller, String folderId) {
        DSLContext dsl = db.dsl();
        require(dsl, caller, folderId, AccessLevel.ADMIN);
        List<AclEntry> entries = new ArrayList<>();
        List<InheritedEntry> inherited = new ArrayList<>();
        dsl.select(Acl.PRINCIPAL_TYPE, Acl.PRINCIPAL_ID, Acl.LEVEL, Acl.FOLDER_ID, Folders.NAME, Ancestors.DEPTH)
                .from(Ancestors.T)
                .join(Acl.T).on(Acl.FOLDER_ID.eq(Ancestors.ANCESTOR_ID))
                .join(Folders.T).on(Folders.ID.eq(Acl.FOLDER_ID))
                .where(Ancestors.FOLDER_ID.eq(folderId))
                .orderBy(Ancestors.DEPTH, Acl.PRINCIPAL_TYPE, Acl.PRINCIPAL_ID)
                .fetch()
                .forEach(r -> {
                    String principal = wireName(dsl, r.get(Acl.PRINCIPAL_TYPE), r.get(Acl.PRINCIPAL_ID));
                    AccessLevel level = AccessLevel.ofRank(r.get(Acl.LEVEL));
                    if (r.get(Ancestors.DEPTH) == 0) {
                        entries.add(new AclEntry(principal, level));
                    } else {
                        inherited.add(new InheritedEntry(principal, level, r.get(Acl.FOLDER_ID), r.get(Folders.NAME)));
                    }
                });
        return new FolderAcl(entries, inherited);
    }

    /**
     * Replaces the folder's own grants. Unknown users or groups are refused, and so is a change that would
     * take ADMIN away from the caller making it; in both cases nothing changes.
     */
    public FolderAcl setAcl(Caller caller, String folderId, List<AclEntry> entries) {
        Map<Principal, AccessLevel> resolved = new HashMap<>();
        for (AclEntry entry : entries) {
            if (entry.level() == null || entry.level() == AccessLevel.NONE) {
                throw ArcaException.invalid("invalid_level", "An access level is READ, WRITE or ADMIN.");
            }
            resolved.merge(resolve(entry.principal()), entry.level(), AccessLevel::max);
        }
        try {
            setGrants(caller, folderId, entries, resolved);
        } finally {
            changed();
        }
        return acl(caller, folderId);
    }

    private void setGrants(Caller caller, String folderId, List<AclEntry> entries, Map<Principal, AccessLevel> resolved) {
        db.inTransaction(tx -> {
            require(tx, caller, folderId, AccessLevel.ADMIN);
            tx.deleteFrom(Acl.T).where(Acl.FOLDER_ID.eq(folderId)).execute();
            for (var grant : resolved.entrySet()) {
                tx.insertInto(Acl.T).set(Acl.FOLDER_ID, folderId).set(Acl.PRINCIPAL_TYPE, grant.getKey().type())
                        .set(Acl.PRINCIPAL_ID, grant.getKey().id()).set(Acl.LEVEL, grant.getValue().rank()).execute();
            }
            if (!levelOn(tx, caller, folderId).atLeast(AccessLevel.ADMIN)) {
                throw ArcaException.conflict("would_lock_out",
                        "This change would take away your own ADMIN access; keep a grant that gives it to you.");
            }
            audit.append(tx, caller, "acl.set", "folder", folderId, describe(entries));
            return null;
        });
    }

    /** Grants inside a transaction that creates the folder (the creator of a collection gets ADMIN). */
    public void grant(DSLContext tx, String folderId, Principal principal, AccessLevel level) {
        tx.insertInto(Acl.T).set(Acl.FOLDER_ID, folderId).set(Acl.PRINCIPAL_TYPE, principal.type())
                .set(Acl.PRINCIPAL_ID, principal.id()).set(Acl.LEVEL, level.rank()).execute();
    }

    private Principal resolve(String wire) {
        if (wire == null) {
            throw ArcaException.invalid("invalid_principal", "A principal is user:<login>, group:<name>, everyone or public.");
        }
        if (wire.equals("everyone")) {
            return new Principal.Everyone();
        }
        if (wire.equals("public")) {
            return new Principal.Public();
        }
        if (wire.startsWith("user:")) {
            String login = wire.substring(5);
            return accounts.byLogin(login).map(u -> (Principal) new Principal.UserPrincipal(u.id()))
                    .orElseThrow(() -> ArcaException.invalid("unknown_user", "There is no user '" + login + "'."));
        }
        if (wire.startsWith("group:")) {
            String name = wire.substring(6);
            return accounts.groupIdByName(name).map(id -> (Principal) new Principal.GroupPrincipal(id))
                    .orElseThrow(() -> ArcaException.invalid("unknown_group", "There is no group '" + name + "'."));
        }
        throw ArcaException.invalid("invalid_principal", "A principal is user:<login>, group:<name>, everyone or public.");
    }

    private static String wireName(DSLContext dsl, String type, String id) {
        return switch (type) {
            case "user" -> "user:" + dsl.select(Users.LOGIN).from(Users.T).where(Users.ID.eq(id)).fetchOptional(Users.LOGIN)
                    .orElse("(deleted)");
            case "group" -> "group:" + dsl.select(Groups.NAME).from(Groups.T).where(Groups.ID.eq(id))
                    .fetchOptional(Groups.NAME).orElse("(deleted)");
            default -> type;
        };
    }

    private static String describe(List<AclEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (AclEntry e : entries) {
            text.append(e.principal()).append('=').append(e.level()).append(' ');
        }
        return text.toString().strip();
    }

    /** Folders granted to the caller whose parent they may not read: where "shared with me" starts. */
    public List<String> sharedRoots(DSLContext dsl, Caller caller) {
        if (!caller.signedIn()) {
            return List.of();
        }
        Condition mine = AccessControl.grantedTo(caller).and(Acl.PRINCIPAL_TYPE.ne("public"))
                .and(Acl.PRINCIPAL_TYPE.ne("everyone"));
        List<Record> granted = dsl.selectDistinct(Acl.FOLDER_ID, Folders.PARENT_ID).from(Acl.T)
                .join(Folders.T).on(Folders.ID.eq(Acl.FOLDER_ID))
                .where(mine).and(Folders.PARENT_ID.isNotNull()).fetch().stream().map(r -> (Record) r).toList();
        List<String> roots = new ArrayList<>();
        for (Record r : granted) {
            if (levelOn(dsl, caller, r.get(Folders.PARENT_ID)) == AccessLevel.NONE) {
                roots.add(r.get(Acl.FOLDER_ID));
            }
        }
        return roots;
    }
}
