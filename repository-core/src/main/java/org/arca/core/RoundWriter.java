package org.arca.core;

import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arca.core.Tables.Files;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.jooq.DSLContext;
import org.jooq.Row2;
import org.jooq.impl.DSL;

/**
 * Writes a batch of admitted uploads as item and file rows in the caller's transaction, in rounds in which no
 * folder and name repeats, with as few statements as the batch allows.
 */
final class RoundWriter {
    private RoundWriter() {
    }

    /**
     * The puts cut, in their order, into runs in which no folder and name repeats: within a run every put is
     * decided against the rows as they were before it, so a name put twice goes into two runs.
     */
    static List<List<Integer>> rounds(List<Ingest.Admitted> puts, List<Integer> indexes) {
        List<List<Integer>> rounds = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i : indexes) {
            String key = puts.get(i).arrival().folderId() + "/" + puts.get(i).arrival().name();
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
    static Map<Integer, Written> write(DSLContext tx, Caller caller, List<Ingest.Admitted> admitted,
                                                    List<Integer> round, boolean replace, Instant now, ItemStore.PutResult[] results) {
        List<Arrival> puts = admitted.stream().map(Ingest.Admitted::arrival).toList();
        List<Row2<String, String>> pairs = round.stream()
                .map(i -> DSL.row(puts.get(i).folderId(), puts.get(i).name())).distinct().toList();
        // Written values, so both look up the (parent, name) unique index; "folder IN (..) AND name IN (..)" would
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
            Arrival put = puts.get(i);
            String key = put.folderId() + "/" + put.name();
            if (folderNamed.contains(key)) {
                results[i] = new ItemStore.PutResult(null, SiblingNames.taken(put.name()));
                continue;
            }
            String id = existing.get(key);
            if (id != null && !replace) {
                results[i] = new ItemStore.PutResult(null, SiblingNames.taken(put.name()));
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
            made.put(i, new Written(id, put.folderId(), put.name(), type, put.blob(), fileId, change, put.facts(),
                    admitted.get(i).rewrittenBy()));
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

    /** An item's row and file as {@link #write} left them in the transaction, for its audit entry and event. */
    record Written(String itemId, String folderId, String name, String mediaType, BlobStore.Blob blob,
                           String fileId, ItemListener.Change change, Facts facts, List<String> rewrittenBy) {

        String auditAction() {
            return change == ItemListener.Change.CREATED ? "item.create" : "item.replace";
        }

        String auditDetail() {
            String detail = "folder=" + folderId + " name=" + name + " size=" + blob.size() + " sha256=" + blob.sha256();
            // Which ingest steps stored other bytes than were sent: the audit trail must say the content was changed.
            return rewrittenBy.isEmpty() ? detail : detail + " rewritten-by=" + String.join(",", rewrittenBy);
        }
    }

    /** The media type a file is stored with: the one given, or the generic binary type when none was. */
    static String storedType(String mediaType) {
        return mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
    }
}
