package org.arca.core.search;


import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;
import org.arca.core.Database;
import org.arca.core.FileKind;
import org.arca.core.MetadataValue;
import org.arca.core.StoredFile;
import org.arca.core.Tables.Ancestors;
import org.arca.core.Tables.Files;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.Tables.Meta;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Turns folders and items, as the database holds them now, into Lucene documents: one per folder and one
 * per item. Each document carries the ids of its folder and every ancestor ({@code ancestor}), which is
 * what the ACL filter of a search matches against, so a grant change needs no reindexing. Reads in batches
 * so a rebuild costs a few queries per 500 folders plus what contributors read.
 */
final class SearchDocuments {
    static final String ID = "id";
    static final String KIND = "kind";
    static final String TYPE = "type";
    static final String NAME = "name";
    /** The name as stored, for display; {@link #NAME} holds it as words for matching. */
    static final String TITLE = "title";
    static final String PATH = "path";
    static final String TEXT = "text";
    /**
     * Every searchable word of the document in one field, the default field of user queries: the standard
     * query parser combines several default fields badly under AND, one field it gets right.
     */
    static final String ALL = "all";
    static final String META = "meta";
    /** Lucene wants one schema per field name: points for ranges live apart from the exact terms. */
    static final String META_NUMBER = "metanum";
    static final String META_DATE = "metadate";
    static final String ANCESTOR = "ancestor";
    static final String COLLECTION = "collection";
    static final String MEDIA_TYPE = "mediatype";
    static final String SIZE = "size";
    static final String DATE = "date";
    static final String UPDATED = "updated";
    static final String FOLDER = "folder";
    static final String ATTRIBUTES = "attrs";
    static final String YEAR = "year";
    static final String MODALITY = "modality";
    /** Stored attribute values are kept as "name=value" lines in one stored field. */
    static final String ATTRIBUTE_LINES = "attrlines";
    /** Prefix of the per-level group fields: doc values holding the group's key, for grouped searches. */
    static final String GROUP = "$group.";
    /** Prefix of the stored label of the document's group at a level. */
    static final String GROUP_LABEL = "$grouplabel.";
    /** Characters of text kept per document; long documents are found by their beginning. */
    static final int MAX_TEXT = 100_000;

    private final Supplier<Collection<SearchContributor>> contributors;

    SearchDocuments(Supplier<Collection<SearchContributor>> contributors) {
        this.contributors = contributors;
    }

    static String folderKey(String id) {
        return "f:" + id;
    }

    static String itemKey(String id) {
        return "i:" + id;
    }

    /** Where folders are, as the closure table says: ancestors from the collection down, with names. */
    record Place(String folderId, List<String> ancestorIds, List<String> names) {
        String collectionId() {
            return ancestorIds.get(0);
        }

        String path() {
            return String.join("/", names);
        }
    }

    static Map<String, Place> places(DSLContext dsl, Collection<String> folderIds) {
        Map<String, List<Record>> chains = new HashMap<>();
        dsl.select(Ancestors.FOLDER_ID, Ancestors.ANCESTOR_ID, Ancestors.DEPTH, Folders.NAME).from(Ancestors.T)
                .join(Folders.T).on(Folders.ID.eq(Ancestors.ANCESTOR_ID))
                .where(Ancestors.FOLDER_ID.in(folderIds)).orderBy(Ancestors.FOLDER_ID, Ancestors.DEPTH.desc())
                .fetch().forEach(r -> chains.computeIfAbsent(r.get(Ancestors.FOLDER_ID), k -> new ArrayList<>()).add(r));
        Map<String, Place> places = new HashMap<>();
        chains.forEach((id, chain) -> places.put(id, new Place(id, chain.stream().map(r -> r.get(Ancestors.ANCESTOR_ID)).toList(),
                chain.stream().map(r -> r.get(Folders.NAME)).toList())));
        return places;
    }

    /** Documents of the given folders themselves (not their contents). */
    List<Document> folders(DSLContext dsl, Collection<String> folderIds) {
        Map<String, Place> places = places(dsl, folderIds);
        Map<String, List<Record>> meta = metadata(dsl, "folder", folderIds);
        List<Document> docs = new ArrayList<>();
        for (Record r : dsl.select(Folders.ALL).from(Folders.T).where(Folders.ID.in(folderIds)).fetch()) {
            String id = r.get(Folders.ID);
            Place place = places.get(id);
            if (place == null) {
                continue;
            }
            Document doc = base(folderKey(id), FileKind.FOLDER, r.get(Folders.NAME), place, r.get(Folders.PARENT_ID));
            SearchFields fields = new SearchFields().text(r.get(Folders.DESCRIPTION));
            finish(doc, fields, meta.getOrDefault(id, List.of()), Database.instant(r.get(Folders.CREATED_AT)),
                    Database.instant(r.get(Folders.UPDATED_AT)));
            docs.add(doc);
        }
        return docs;
    }

    /** Documents of the given items that still exist. */
    List<Document> items(DSLContext dsl, Collection<String> itemIds) {
        if (itemIds.isEmpty()) {
            return List.of();
        }
        List<Document> docs = new ArrayList<>();
        List<String> ids = List.copyOf(itemIds);
        for (int start = 0; start < ids.size(); start += 1000) {
            List<String> batch = ids.subList(start, Math.min(ids.size(), start + 1000));
            docs.addAll(items(dsl, Items.ID.in(batch), null));
        }
        return docs;
    }

    private List<Document> items(DSLContext dsl, org.jooq.Condition which, Collection<String> folderIds) {
        List<Record> rows = dsl.select(Items.ALL).from(Items.T).where(which).fetch().stream().map(r -> (Record) r).toList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, Place> places = places(dsl, folderIds != null ? folderIds
                : rows.stream().map(r -> r.get(Items.FOLDER_ID)).distinct().toList());
        Map<String, List<StoredFile>> files = new HashMap<>();
        dsl.select(Files.ALL).from(Files.T).join(Items.T).on(Items.ID.eq(Files.ITEM_ID)).where(which)
                .orderBy(Files.CREATED_AT, Files.ID).fetch()
                .forEach(f -> files.computeIfAbsent(f.get(Files.ITEM_ID), k -> new ArrayList<>()).add(new StoredFile(
                        f.get(Files.ID), f.get(Files.ITEM_ID), f.get(Files.NAME), f.get(Files.SIZE), f.get(Files.MEDIA_TYPE),
                        f.get(Files.SHA256), Database.instant(f.get(Files.CREATED_AT)))));
        Map<String, List<Record>> meta = new HashMap<>();
        dsl.select(Meta.ALL).from(Meta.T).join(Items.T).on(Items.ID.eq(Meta.TARGET_ID)).where(Meta.TARGET_TYPE.eq("item")).and(which)
                .fetch().forEach(r -> meta.computeIfAbsent(r.get(Meta.TARGET_ID), k -> new ArrayList<>()).add(r));
        List<Document> docs = new ArrayList<>();
        for (Record r : rows) {
            String id = r.get(Items.ID);
            Place place = places.get(r.get(Items.FOLDER_ID));
            if (place == null) {
                continue; // the folder went while we read
            }
            List<StoredFile> itemFiles = files.getOrDefault(id, List.of());
            String mediaType = itemFiles.isEmpty() ? "" : itemFiles.get(0).mediaType();
            Document doc = base(itemKey(id), FileKind.of(r.get(Items.NAME), mediaType), r.get(Items.NAME), place,
                    r.get(Items.FOLDER_ID));
            SearchFields fields = new SearchFields().text(r.get(Items.DESCRIPTION));
            long size = 0;
            for (StoredFile file : itemFiles) {
                size += file.size();
                for (SearchContributor contributor : contributors.get()) {
                    contributor.contribute(file, fields);
                }
            }
            doc.add(new StringField(MEDIA_TYPE, mediaType.toLowerCase(Locale.ROOT), Field.Store.YES));
            doc.add(new LongPoint(SIZE, size));
            doc.add(new StoredField(SIZE, size));
            finish(doc, fields, meta.getOrDefault(id, List.of()), Database.instant(r.get(Items.CREATED_AT)),
                    Database.instant(r.get(Items.UPDATED_AT)));
            docs.add(doc);
        }
        return docs;
    }

    private static Document base(String key, FileKind kind, String name, Place place, String folderId) {
        Document doc = new Document();
        doc.add(new StringField(ID, key, Field.Store.YES));
        doc.add(new StringField(KIND, kind == FileKind.FOLDER ? "folder" : "item", Field.Store.YES));
        doc.add(new StringField(TYPE, kind.wireName(), Field.Store.YES));
        FacetCounting.add(doc, TYPE, kind.wireName());
        doc.add(new StoredField(TITLE, name));
        doc.add(new TextField(NAME, words(name), Field.Store.NO));
        // The path is stored for display only: its words are matched through the folders' own names, against
        // the folders the caller may see (VisiblePathWords), so a hidden ancestor's name never matches.
        doc.add(new StoredField(PATH, place.path()));
        doc.add(new TextField(ALL, words(name), Field.Store.NO));
        doc.add(new StoredField(FOLDER, folderId == null ? "" : folderId));
        doc.add(new StoredField(ANCESTOR, String.join(" ", place.ancestorIds())));
        for (String ancestor : place.ancestorIds()) {
            doc.add(new StringField(ANCESTOR, ancestor, Field.Store.NO));
        }
        doc.add(new StringField(COLLECTION, place.collectionId(), Field.Store.YES));
        FacetCounting.add(doc, COLLECTION, place.collectionId());
        return doc;
    }

    private static void finish(Document doc, SearchFields fields, List<Record> meta, Instant created, Instant updated) {
        String text = fields.text();
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT);
        }
        if (!text.isEmpty()) {
            doc.add(new TextField(TEXT, text, Field.Store.YES));
            doc.add(new TextField(ALL, text, Field.Store.NO));
        }
        StringBuilder lines = new StringBuilder();
        for (var attribute : fields.attributes().entrySet()) {
            for (String value : attribute.getValue()) {
                doc.add(new StringField(attributeField(attribute.getKey()), value.toLowerCase(Locale.ROOT), Field.Store.NO));
                doc.add(new TextField(ATTRIBUTES, value, Field.Store.NO));
                doc.add(new TextField(ALL, value, Field.Store.NO));
                lines.append(attribute.getKey()).append('=').append(value.replace('\n', ' ')).append('\n');
                if (attribute.getKey().equals(MODALITY)) {
                    FacetCounting.add(doc, MODALITY, value.toUpperCase(Locale.ROOT));
                }
            }
        }
        doc.add(new StoredField(ATTRIBUTE_LINES, lines.toString()));
        for (var group : fields.groups().entrySet()) {
            doc.add(new SortedDocValuesField(GROUP + group.getKey(), new BytesRef(group.getValue().key())));
            doc.add(new StoredField(GROUP_LABEL + group.getKey(), group.getValue().label()));
        }
        for (Record m : meta) {
            addMetadata(doc, m);
        }
        LocalDate about = fields.date() != null ? fields.date() : created.atZone(ZoneOffset.UTC).toLocalDate();
        doc.add(new LongPoint(DATE, about.toEpochDay()));
        FacetCounting.add(doc, YEAR, Integer.toString(about.getYear()));
        doc.add(new StoredField(UPDATED, updated.toEpochMilli()));
    }

    /**
     * File names and paths as words: the standard tokenizer keeps "protocol.pdf" and "site_01" whole, but
     * users search for "protocol" and "pdf". The whole name is kept too, so "protocol.pdf" still matches.
     */
    static String words(String name) {
        return name + " " + name.replaceAll("[._\\-/]+", " ");
    }

    /** Contributed attributes keep their own names unless one would collide with a field of the index. */
    static String attributeField(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED.contains(lower) ? "attr." + lower : lower;
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of(ID, KIND, TYPE, NAME, PATH, TEXT, META, META_NUMBER,
            META_DATE, ANCESTOR, COLLECTION, TITLE, ALL, MEDIA_TYPE, SIZE, DATE, UPDATED, FOLDER, ATTRIBUTES, YEAR, ATTRIBUTE_LINES);

    /**
     * Typed metadata: every value is findable exactly as {@code meta.<key>:value} (lower case) and by its
     * words in {@code meta}; numbers and dates also as points, for the ranges of {@code meta.<key>=low..high}.
     */
    private static void addMetadata(Document doc, Record m) {
        String field = META + "." + m.get(Meta.KEY).toLowerCase(Locale.ROOT);
        String shown = switch (m.get(Meta.VALUE_TYPE)) {
            case "number" -> {
                double value = m.get(Meta.NUMBER_VALUE);
                doc.add(new DoublePoint(META_NUMBER + "." + m.get(Meta.KEY).toLowerCase(Locale.ROOT), value));
                Object json = new MetadataValue.Number(value).jsonValue();
                yield json.toString();
            }
            case "date" -> {
                LocalDate value = m.get(Meta.DATE_VALUE);
                doc.add(new LongPoint(META_DATE + "." + m.get(Meta.KEY).toLowerCase(Locale.ROOT), value.toEpochDay()));
                yield value.toString();
            }
            default -> m.get(Meta.TEXT_VALUE);
        };
        doc.add(new StringField(field, shown.toLowerCase(Locale.ROOT), Field.Store.NO));
        doc.add(new TextField(META, m.get(Meta.KEY) + " " + shown, Field.Store.NO));
        doc.add(new TextField(ALL, m.get(Meta.KEY) + " " + shown, Field.Store.NO));
    }

    private static Map<String, List<Record>> metadata(DSLContext dsl, String targetType, Collection<String> ids) {
        Map<String, List<Record>> result = new HashMap<>();
        dsl.select(Meta.ALL).from(Meta.T).where(Meta.TARGET_TYPE.eq(targetType)).and(Meta.TARGET_ID.in(ids)).fetch()
                .forEach(r -> result.computeIfAbsent(r.get(Meta.TARGET_ID), k -> new ArrayList<>()).add(r));
        return result;
    }
}
