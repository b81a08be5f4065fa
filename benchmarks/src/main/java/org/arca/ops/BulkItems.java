package org.arca.ops;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.arca.core.Folder;
import org.arca.core.MetadataValue;
import org.arca.core.Repository;
import org.arca.core.blob.BlobStore;
import org.jooq.BatchBindStep;

/**
 * Writes synthetic items, their file rows and metadata straight into the tables in batches, for benchmarks that
 * measure the search index at sizes (100,000s of items) that going through the item service, one audited
 * transaction each, would take hours to reach on a small machine. Benchmarks only: no audit, no listeners, so it
 * lives in the benchmarks module and never in arca.jar. Batched puts through the core ({@code ItemStore.putAll}) are
 * no substitute here: they audit and index every item live, and the benchmark measures the rebuild at sizes only
 * these bare rows reach in minutes.
 */
final class BulkItems {
    private static final int BATCH = 2000;

    private BulkItems() {
    }

    /** The metadata every synthetic item {@code i} carries, whichever way it is made. */
    static Map<String, MetadataValue> metadata(int i) {
        return Map.of("visit", new MetadataValue.Number(i % 12), "site", new MetadataValue.Text("site-" + (i % 40)),
                "seen", new MetadataValue.Date(LocalDate.of(2024, 1, 1).plusDays(i % 365)));
    }

    static void insert(Repository repo, int count, IntFunction<Folder> folderOf, BlobStore.Blob blob) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // The blob's row, as the item service writes it with the first file using it (the bench repository is new).
        repo.database().dsl().insertInto(table(name("blobs")))
                .columns(field(name("sha256")), field(name("size_bytes")), field(name("created_at")))
                .values(blob.sha256(), blob.size(), now).execute();
        for (int from = 0; from < count; from += BATCH) {
            int first = from;
            int to = Math.min(count, from + BATCH);
            repo.database().inTransaction(tx -> {
                // One prepared statement per table, bound once per row: rendering a statement per row would cost more
                // than the database's work.
                BatchBindStep items = tx.batch(tx.insertInto(table(name("items")))
                        .columns(field(name("id")), field(name("folder_id")), field(name("name")), field(name("description")),
                                field(name("created_by")), field(name("created_at")), field(name("updated_at")))
                        .values(null, null, null, null, null, null, null));
                BatchBindStep files = tx.batch(tx.insertInto(table(name("files")))
                        .columns(field(name("id")), field(name("item_id")), field(name("name")), field(name("size_bytes")),
                                field(name("media_type")), field(name("sha256")), field(name("created_at")))
                        .values(null, null, null, null, null, null, null));
                BatchBindStep meta = tx.batch(tx.insertInto(table(name("metadata")))
                        .columns(field(name("target_type")), field(name("target_id")), field(name("meta_key")),
                                field(name("value_type")), field(name("text_value")), field(name("number_value")),
                                field(name("date_value")))
                        .values(null, null, null, null, null, null, null));
                for (int i = first; i < to; i++) {
                    String id = newId();
                    String itemName = "record-" + i + ".txt";
                    items.bind(id, folderOf.apply(i).id(), itemName, "", null, now, now);
                    files.bind(newId(), id, itemName, blob.size(), "text/plain", blob.sha256(), now);
                    for (var e : metadata(i).entrySet()) {
                        MetadataValue v = e.getValue();
                        meta.bind("item", id, e.getKey(), v.type(), v instanceof MetadataValue.Text t ? t.value() : null,
                                v instanceof MetadataValue.Number n ? n.value() : null,
                                v instanceof MetadataValue.Date d ? d.value() : null);
                    }
                }
                items.execute();
                files.execute();
                meta.execute();
                return null;
            });
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
