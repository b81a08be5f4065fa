package org.arca.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.Tables.Meta;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.arca.core.search.SearchIndex;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Typed key/value metadata that users put on folders and items. Reading needs READ on the folder (the
 * item's folder for items); writing needs WRITE. A write replaces the whole set.
 */
public final class MetadataStore {

    /** What the metadata belongs to. */
    public enum Target {
        FOLDER("folder"), ITEM("item");

        private final String stored;

        Target(String stored) {
            this.stored = stored;
        }
    }

    private static final int MAX_ENTRIES = 500;

    private final Database db;
    private final AccessControl access;
    private final AuditLog audit;

    private final SearchIndex search;

    MetadataStore(Database db, AccessControl access, AuditLog audit, SearchIndex search) {
        this.search = search;
        this.db = db;
        this.access = access;
        this.audit = audit;
    }

    public Map<String, MetadataValue> get(Caller caller, Target target, String id) {
        DSLContext dsl = db.dsl();
        access.require(dsl, caller, folderOf(dsl, target, id), AccessLevel.READ);
        Map<String, MetadataValue> result = new LinkedHashMap<>();
        for (Record r : dsl.select(Meta.ALL).from(Meta.T).where(Meta.TARGET_TYPE.eq(target.stored))
                .and(Meta.TARGET_ID.eq(id)).orderBy(Meta.KEY).fetch()) {
            result.put(r.get(Meta.KEY), switch (r.get(Meta.VALUE_TYPE)) {
                case "number" -> new MetadataValue.Number(r.get(Meta.NUMBER_VALUE));
                case "date" -> new MetadataValue.Date(r.get(Meta.DATE_VALUE));
                default -> new MetadataValue.Text(r.get(Meta.TEXT_VALUE));
            });
        }
        return result;
    }

    public Map<String, MetadataValue> put(Caller caller, Target target, String id, Map<String, MetadataValue> values) {
        if (values.size() > MAX_ENTRIES) {
            throw ArcaException.invalid("too_many_keys", "At most " + MAX_ENTRIES + " metadata keys per object.");
        }
        for (var entry : values.entrySet()) {
            validate(entry.getKey(), entry.getValue());
        }
        db.inTransaction(tx -> {
            access.require(tx, caller, folderOf(tx, target, id), AccessLevel.WRITE);
            tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq(target.stored)).and(Meta.TARGET_ID.eq(id)).execute();
            for (var entry : values.entrySet()) {
                MetadataValue v = entry.getValue();
                tx.insertInto(Meta.T).set(Meta.TARGET_TYPE, target.stored).set(Meta.TARGET_ID, id).set(Meta.KEY, entry.getKey())
                        .set(Meta.VALUE_TYPE, v.type())
                        .set(Meta.TEXT_VALUE, v instanceof MetadataValue.Text t ? t.value() : null)
                        .set(Meta.NUMBER_VALUE, v instanceof MetadataValue.Number n ? n.value() : null)
                        .set(Meta.DATE_VALUE, v instanceof MetadataValue.Date d ? d.value() : null)
                        .execute();
            }
            audit.append(tx, caller, "metadata.set", target.stored, id, "keys=" + values.keySet());
            return null;
        });
        if (target == Target.ITEM) {
            search.itemChanged(id);
        } else {
            search.folderChanged(id);
        }
        return get(caller, target, id);
    }

    /**
     * Sets the given keys on many objects in one transaction, each object keeping its keys not named here: what a
     * job that labels a whole series uses instead of a read and a write per item. The same rules as {@link #put}
     * (WRITE on each object's folder, valid keys and values, at most 500 keys per object), all or nothing, and one
     * audit entry per object.
     */
    public void merge(Caller caller, Target target, Map<String, Map<String, MetadataValue>> valuesById) {
        if (valuesById.isEmpty()) {
            return;
        }
        for (Map<String, MetadataValue> values : valuesById.values()) {
            for (var entry : values.entrySet()) {
                validate(entry.getKey(), entry.getValue());
            }
        }
        db.inTransaction(tx -> {
            Map<String, String> folders = foldersOf(tx, target, valuesById.keySet());
            for (String folder : new java.util.HashSet<>(folders.values())) {
                access.require(tx, caller, folder, AccessLevel.WRITE);
            }
            Map<String, java.util.Set<String>> keys = new java.util.HashMap<>();
            for (Record r : tx.select(Meta.TARGET_ID, Meta.KEY).from(Meta.T).where(Meta.TARGET_TYPE.eq(target.stored))
                    .and(Meta.TARGET_ID.in(valuesById.keySet())).fetch()) {
                keys.computeIfAbsent(r.get(Meta.TARGET_ID), k -> new java.util.HashSet<>()).add(r.get(Meta.KEY));
            }
            // One delete per distinct set of keys (a job's flags and provenance: one for the whole batch).
            Map<java.util.Set<String>, List<String>> byKeys = new LinkedHashMap<>();
            valuesById.forEach((id, values) -> byKeys.computeIfAbsent(java.util.Set.copyOf(values.keySet()),
                    k -> new java.util.ArrayList<>()).add(id));
            byKeys.forEach((keySet, ids) -> {
                if (!keySet.isEmpty()) {
                    tx.deleteFrom(Meta.T).where(Meta.TARGET_TYPE.eq(target.stored)).and(Meta.TARGET_ID.in(ids))
                            .and(Meta.KEY.in(keySet)).execute();
                }
            });
            var insert = tx.insertInto(Meta.T, Meta.ALL);
            for (var byId : valuesById.entrySet()) {
                java.util.Set<String> after = new java.util.HashSet<>(keys.getOrDefault(byId.getKey(), java.util.Set.of()));
                after.addAll(byId.getValue().keySet());
                if (after.size() > MAX_ENTRIES) {
                    throw ArcaException.invalid("too_many_keys", "At most " + MAX_ENTRIES + " metadata keys per object.");
                }
                for (var entry : byId.getValue().entrySet()) {
                    MetadataValue v = entry.getValue();
                    insert = insert.values(target.stored, byId.getKey(), entry.getKey(), v.type(),
                            v instanceof MetadataValue.Text t ? t.value() : null,
                            v instanceof MetadataValue.Number n ? n.value() : null,
                            v instanceof MetadataValue.Date d ? d.value() : null);
                }
                audit.append(tx, caller, "metadata.set", target.stored, byId.getKey(), "keys=" + byId.getValue().keySet());
            }
            if (valuesById.values().stream().anyMatch(v -> !v.isEmpty())) {
                insert.execute();
            }
            return null;
        });
        for (String id : valuesById.keySet()) {
            if (target == Target.ITEM) {
                search.itemChanged(id);
            } else {
                search.folderChanged(id);
            }
        }
    }

    /** The folder each object is in (a folder is its own), from one query; NOT_FOUND if one is missing. */
    private static Map<String, String> foldersOf(DSLContext dsl, Target target, java.util.Collection<String> ids) {
        Map<String, String> folders = new LinkedHashMap<>();
        if (target == Target.FOLDER) {
            ids.forEach(id -> folders.put(id, id));
            return folders;
        }
        dsl.select(Tables.Items.ID, Tables.Items.FOLDER_ID).from(Tables.Items.T).where(Tables.Items.ID.in(ids))
                .fetch().forEach(r -> folders.put(r.value1(), r.value2()));
        if (folders.size() != ids.size()) {
            throw ArcaException.notFound("The item");
        }
        return folders;
    }

    private static void validate(String key, MetadataValue value) {
        if (key == null || key.isBlank() || key.length() > 255 || key.chars().anyMatch(Character::isISOControl)) {
            throw ArcaException.invalid("invalid_key", "A metadata key has 1 to 255 printable characters.");
        }
        if (value == null) {
            throw ArcaException.invalid("invalid_value", "The metadata value of '" + key + "' is missing.");
        }
        if (value instanceof MetadataValue.Text t && (t.value() == null || t.value().length() > 4000)) {
            throw ArcaException.invalid("invalid_value", "A text value has at most 4000 characters.");
        }
        if (value instanceof MetadataValue.Number n && !Double.isFinite(n.value())) {
            throw ArcaException.invalid("invalid_value", "A number value must be finite.");
        }
        if (value instanceof MetadataValue.Date d && d.value() == null) {
            throw ArcaException.invalid("invalid_value", "A date value is YYYY-MM-DD.");
        }
    }

    private static String folderOf(DSLContext dsl, Target target, String id) {
        return target == Target.ITEM ? ItemStore.folderOf(dsl, id) : id;
    }
}
