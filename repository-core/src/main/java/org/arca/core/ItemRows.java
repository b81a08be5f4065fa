package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;
import static org.jooq.impl.DSL.select;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.Tables.Files;
import org.arca.core.Tables.Items;
import org.arca.core.access.AccessLevel;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Select;

/**
 * Items as rows: how an item and its files are read from the tables and written to them, for the classes that
 * read and write items. Callers check access first; nothing here does.
 */
final class ItemRows {
    private ItemRows() {
    }

    static String folderOf(DSLContext dsl, String itemId) {
        String folderId = itemId == null ? null
                : dsl.select(Items.FOLDER_ID).from(Items.T).where(Items.ID.eq(itemId)).fetchOne(Items.FOLDER_ID);
        if (folderId == null) {
            throw ArcaException.notFound("The item");
        }
        return folderId;
    }

    static Item load(DSLContext dsl, String itemId, AccessLevel level) {
        Record r = dsl.select(Items.ALL).from(Items.T).where(Items.ID.eq(itemId)).fetchOne();
        if (r == null) {
            throw ArcaException.notFound("The item");
        }
        List<StoredFile> files = dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.eq(itemId)).orderBy(Files.NAME)
                .fetch(ItemRows::file);
        return item(r, files, level);
    }

    /** The items in the order of {@code itemIds}, with two queries however many there are. */
    static List<Item> loadAll(DSLContext dsl, List<String> itemIds, AccessLevel level) {
        Map<String, List<StoredFile>> files = new LinkedHashMap<>();
        for (Record f : dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.in(itemIds)).orderBy(Files.NAME).fetch()) {
            files.computeIfAbsent(f.get(Files.ITEM_ID), k -> new ArrayList<>()).add(file(f));
        }
        Map<String, Item> byId = new HashMap<>();
        for (Record r : dsl.select(Items.ALL).from(Items.T).where(Items.ID.in(itemIds)).fetch()) {
            byId.put(r.get(Items.ID), item(r, files.getOrDefault(r.get(Items.ID), List.of()), level));
        }
        return itemIds.stream().map(byId::get).toList();
    }

    static Map<String, List<StoredFile>> filesOf(DSLContext dsl, Select<? extends org.jooq.Record1<String>> itemIds) {
        Map<String, List<StoredFile>> files = new LinkedHashMap<>();
        for (Record f : dsl.select(Files.ALL).from(Files.T).where(Files.ITEM_ID.in(itemIds)).orderBy(Files.NAME).fetch()) {
            files.computeIfAbsent(f.get(Files.ITEM_ID), k -> new ArrayList<>()).add(file(f));
        }
        return files;
    }

    static String insertFile(DSLContext tx, String itemId, String name, long size, String mediaType,
                                     String sha256, Instant now) {
        String id = Ids.newId();
        tx.insertInto(Files.T).set(Files.ID, id).set(Files.ITEM_ID, itemId).set(Files.NAME, name)
                .set(Files.SIZE, size).set(Files.MEDIA_TYPE, mediaType).set(Files.SHA256, sha256)
                .set(Files.CREATED_AT, stamp(now)).execute();
        return id;
    }

    static Item item(Record r, List<StoredFile> files, AccessLevel level) {
        return new Item(r.get(Items.ID), r.get(Items.FOLDER_ID), r.get(Items.NAME), r.get(Items.DESCRIPTION),
                r.get(Items.CREATED_BY), instant(r.get(Items.CREATED_AT)), instant(r.get(Items.UPDATED_AT)), files, level);
    }

    static StoredFile file(Record f) {
        return new StoredFile(f.get(Files.ID), f.get(Files.ITEM_ID), f.get(Files.NAME), f.get(Files.SIZE),
                f.get(Files.MEDIA_TYPE), f.get(Files.SHA256), instant(f.get(Files.CREATED_AT)));
    }

    /** A page of a folder's items with their files: two queries. */
    static List<Item> page(DSLContext dsl, String folderId, AccessLevel level, int limit, int offset) {
        List<Record> rows = dsl.select(Items.ALL).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                .orderBy(Items.NAME).limit(limit).offset(offset).fetch().stream().map(r -> (Record) r).toList();
        if (rows.isEmpty()) {
            return List.of();
        }
        String first = rows.get(0).get(Items.NAME);
        String last = rows.get(rows.size() - 1).get(Items.NAME);
        Map<String, List<StoredFile>> files = filesOf(dsl, select(Items.ID).from(Items.T)
                .where(Items.FOLDER_ID.eq(folderId)).and(Items.NAME.between(first, last)));
        List<Item> result = new ArrayList<>(rows.size());
        for (Record r : rows) {
            result.add(item(r, files.getOrDefault(r.get(Items.ID), List.of()), level));
        }
        return result;
    }
}
