package org.arca.core;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.arca.core.Tables.SiblingNamesT;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * The rule that a folder holds each name once, whether a subfolder or an item has it, kept by the database:
 * every folder and item writes its name through here into one table with a unique (parent, name) key, in the
 * transaction that makes, renames, moves or deletes it. Of two writers racing for a name the database lets
 * one commit; the other meets the key and gets the same 409 as a name found taken beforehand.
 */
final class SiblingNames {

    /** A name to take: {@code parentKey} is the parent folder's id, or {@link FolderTree#NO_PARENT}. */
    record Claim(String parentKey, String name, String entryId) {
    }

    private SiblingNames() {
    }

    /** Takes the name for a new folder or item. */
    static void claim(DSLContext tx, String parentKey, String name, String entryId) {
        claimAll(tx, List.of(new Claim(parentKey, name, entryId)));
    }

    static void claimAll(DSLContext tx, Collection<Claim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(SiblingNamesT.T, SiblingNamesT.PARENT_KEY, SiblingNamesT.NAME, SiblingNamesT.ENTRY_ID);
        for (Claim claim : claims) {
            insert = insert.values(claim.parentKey(), claim.name(), claim.entryId());
        }
        insert.execute();
    }

    static void rename(DSLContext tx, String entryId, String newName) {
        tx.update(SiblingNamesT.T).set(SiblingNamesT.NAME, newName).where(SiblingNamesT.ENTRY_ID.eq(entryId)).execute();
    }

    static void move(DSLContext tx, String entryId, String newParentKey) {
        tx.update(SiblingNamesT.T).set(SiblingNamesT.PARENT_KEY, newParentKey).where(SiblingNamesT.ENTRY_ID.eq(entryId))
                .execute();
    }

    /** Frees the names of folders or items being deleted; call before their rows go, as the query may read them. */
    static void release(DSLContext tx, Select<? extends Record1<String>> entryIds) {
        tx.deleteFrom(SiblingNamesT.T).where(SiblingNamesT.ENTRY_ID.in(entryIds)).execute();
    }

    static void release(DSLContext tx, Collection<String> entryIds) {
        if (!entryIds.isEmpty()) {
            tx.deleteFrom(SiblingNamesT.T).where(SiblingNamesT.ENTRY_ID.in(entryIds)).execute();
        }
    }

    /** Refuses a name already there, with a message naming it; the key still decides a race after this check. */
    static void requireFree(DSLContext tx, String parentKey, String name) {
        if (tx.fetchExists(SiblingNamesT.T, SiblingNamesT.PARENT_KEY.eq(parentKey).and(SiblingNamesT.NAME.eq(name)))) {
            throw taken(name);
        }
    }

    static ArcaException taken(String name) {
        return ArcaException.conflict("name_taken", "Something named '" + name + "' is already there.");
    }

    /**
     * Runs a transaction that writes names; a writer that lost a race for one meets a unique key (the names',
     * or the folders' or items' own) and gets the 409 a name found taken gets.
     */
    static <T> T translate(String name, Supplier<T> transaction) {
        try {
            return transaction.get();
        } catch (IntegrityConstraintViolationException e) {
            throw taken(name == null ? "that" : name);
        }
    }
}
