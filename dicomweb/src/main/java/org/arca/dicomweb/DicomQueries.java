package org.arca.dicomweb;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.listAggDistinct;
import static org.jooq.impl.DSL.min;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomReader;
import org.arca.dicom.VR;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;

/**
 * QIDO-RS over the DICOM index: studies, series and instances the caller may read, optionally within one
 * folder's subtree. Access and matching are both conditions of one SQL query, so counts and paging are
 * those of what the caller sees. Study and series attributes such as the number of related instances are
 * computed over readable instances only.
 */
public final class DicomQueries {

    /** One page of matches as DICOM datasets, with the number of all matches. */
    public record Matches(List<Attributes> matches, long total, boolean limited) {
    }

    /** Where a query looks: everything readable, or one folder's subtree. */
    public record Scope(String folderId) {
        public static final Scope EVERYTHING = new Scope(null);
    }

    public static final int MAX_LIMIT = 1000;
    /** The number of all matches, as a window count beside each row of the page. */
    private static final Field<Integer> TOTAL = count().over().as("total_count");
    /** One instance of each match, for attributes the index does not hold. */
    private static final Field<String> SAMPLE = min(IndexTable.SHA256).as("sample_sha256");
    private static final Set<String> RESERVED = Set.of("limit", "offset", "fuzzymatching", "includefield",
            "casesensitivematching");

    private final Repository repo;

    /** Reads the index tables of {@link DicomWebPlugin#SCHEMA}, which the repository must have been opened with. */
    public DicomQueries(Repository repo) {
        repo.requireSchema(DicomWebPlugin.SCHEMA);
        this.repo = repo;
    }

    /**
     * Runs a query. {@code params} are the request's query parameters; {@code fixed} are UIDs from the path
     * (the study of {@code /studies/{study}/series}). Unknown keys are refused with 400, naming the key.
     */
    public Matches search(Caller caller, Scope scope, QueryLevel level, Map<String, String> fixed,
                          Map<String, List<String>> params) {
        Condition visible = repo.access().readableItem(caller, IndexTable.ITEM_ID);
        if (scope.folderId() != null) {
            repo.folders().get(caller, scope.folderId());
            visible = visible.and(repo.access().itemWithin(scope.folderId(), IndexTable.ITEM_ID));
        }
        Condition where = visible;
        if (level == QueryLevel.INSTANCE) {
            // Studies and series count each UID once instead (countDistinct below): the copy check costs a second
            // pass over the readable rows, which their broad searches (every study, a date range) cannot afford.
            where = where.and(firstCopy(caller, scope));
        }
        // ModalitiesInStudy in a study search: a condition on each study's group of matching instances.
        Condition studyHaving = DSL.noCondition();
        KeyMatching.NameMatching names = "true".equals(first(params, "fuzzymatching")) ? KeyMatching.NameMatching.FUZZY
                : "true".equals(first(params, "casesensitivematching")) ? KeyMatching.NameMatching.EXACT : KeyMatching.NameMatching.IGNORE_CASE;
        for (var entry : fixed.entrySet()) {
            where = where.and(KeyMatching.match(QueryKey.parse(entry.getKey()).orElseThrow(), entry.getValue(), KeyMatching.NameMatching.EXACT));
        }
        for (var entry : params.entrySet()) {
            if (RESERVED.contains(entry.getKey())) {
                continue;
            }
            QueryKey key = QueryKey.parse(entry.getKey()).orElseThrow(() -> ArcaException.invalid("unknown_query_key",
                    "Unknown or unsupported query key '" + entry.getKey() + "'."));
            if (!key.appliesTo(level)) {
                throw ArcaException.invalid("unknown_query_key", "'" + entry.getKey() + "' cannot be matched at the "
                        + level.name().toLowerCase() + " level.");
            }
            for (String value : entry.getValue()) {
                if (value.isEmpty()) {
                    continue;
                }
                if (key == QueryKey.MODALITIES_IN_STUDY && level == QueryLevel.STUDY) {
                    studyHaving = studyHaving.and(anyModality(value));
                } else if (key == QueryKey.MODALITIES_IN_STUDY) {
                    where = where.and(modalitiesInStudy(caller, value));
                } else {
                    where = where.and(KeyMatching.match(key, value, names));
                }
            }
        }
        int requested = intParam(params, "limit", 100);
        int offset = intParam(params, "offset", 0);
        if (requested < 0 || offset < 0) {
            throw ArcaException.invalid("invalid_paging", "'limit' and 'offset' must not be negative.");
        }
        int limit = Math.min(requested == 0 ? MAX_LIMIT : requested, MAX_LIMIT);
        IncludedFields included = IncludedFields.parse(params.get("includefield"));
        DSLContext dsl = repo.database().dsl();
        return switch (level) {
            case STUDY -> studies(dsl, visible, where, studyHaving, limit, offset, requested > MAX_LIMIT, caller, included);
            case SERIES -> series(dsl, where, limit, offset, requested > MAX_LIMIT, caller, included);
            case INSTANCE -> instances(dsl, where, limit, offset, requested > MAX_LIMIT, caller, included);
        };
    }

    /** A stored instance the caller may read, as WADO-RS serves it. */
    public record StoredInstance(String itemId, String sha256, long size, String transferSyntax, String studyUid,
                                 String seriesUid, String sopInstanceUid) {
    }

    /**
     * The readable instances of a study, a series or one instance (null UIDs widen the match), in series and
     * instance order. An empty result means "not found" to the caller, whether absent or hidden.
     */
    public List<StoredInstance> locate(Caller caller, Scope scope, String study, String series, String instance) {
        Condition where = repo.access().readableItem(caller, IndexTable.ITEM_ID);
        if (scope.folderId() != null) {
            repo.folders().get(caller, scope.folderId());
            where = where.and(repo.access().itemWithin(scope.folderId(), IndexTable.ITEM_ID));
        }
        where = where.and(firstCopy(caller, scope));
        for (var entry : uids("StudyInstanceUID", study, "SeriesInstanceUID", series, "SOPInstanceUID", instance).entrySet()) {
            where = where.and(KeyMatching.match(QueryKey.parse(entry.getKey()).orElseThrow(), entry.getValue(), KeyMatching.NameMatching.EXACT));
        }
        return repo.database().dsl()
                .select(IndexTable.ITEM_ID, IndexTable.SHA256, IndexTable.SIZE, IndexTable.TRANSFER_SYNTAX, IndexTable.STUDY_UID,
                        IndexTable.SERIES_UID, IndexTable.SOP_INSTANCE_UID)
                .from(IndexTable.T).where(where)
                .orderBy(IndexTable.SERIES_UID, IndexTable.INSTANCE_NUMBER.nullsLast(), IndexTable.SOP_INSTANCE_UID)
                .fetch(r -> new StoredInstance(r.get(IndexTable.ITEM_ID), r.get(IndexTable.SHA256), r.get(IndexTable.SIZE),
                        r.get(IndexTable.TRANSFER_SYNTAX), r.get(IndexTable.STUDY_UID), r.get(IndexTable.SERIES_UID),
                        r.get(IndexTable.SOP_INSTANCE_UID)));
    }

    /** The indexed instance an item holds, if the caller may read it and it is DICOM. */
    public java.util.Optional<StoredInstance> forItem(Caller caller, String itemId) {
        repo.items().get(caller, itemId);
        return repo.database().dsl()
                .select(IndexTable.ITEM_ID, IndexTable.SHA256, IndexTable.SIZE, IndexTable.TRANSFER_SYNTAX, IndexTable.STUDY_UID,
                        IndexTable.SERIES_UID, IndexTable.SOP_INSTANCE_UID)
                .from(IndexTable.T).where(IndexTable.ITEM_ID.eq(itemId))
                .fetchOptional(r -> new StoredInstance(r.get(IndexTable.ITEM_ID), r.get(IndexTable.SHA256), r.get(IndexTable.SIZE),
                        r.get(IndexTable.TRANSFER_SYNTAX), r.get(IndexTable.STUDY_UID), r.get(IndexTable.SERIES_UID),
                        r.get(IndexTable.SOP_INSTANCE_UID)));
    }

    /**
     * {@code visible}: the instances the caller may see in the scope; {@code where}: those of them matching the
     * keys; {@code having}: what a study's matching instances must hold together (ModalitiesInStudy).
     */
    private Matches studies(DSLContext dsl, Condition visible, Condition where, Condition having, int limit, int offset,
                            boolean limited, Caller caller, IncludedFields included) {
        List<SelectFieldOrAsterisk> fields = new ArrayList<>();
        for (QueryKey key : QueryKey.returnedAt(QueryLevel.STUDY)) {
            if (key != QueryKey.STUDY_INSTANCE_UID && key != QueryKey.MODALITIES_IN_STUDY) {
                fields.add(min(key.column).as(key.keyword));
            }
        }
        var modalities = listAggDistinct(IndexTable.MODALITY, "\\").withinGroupOrderBy(IndexTable.MODALITY).as("modalities");
        var classes = listAggDistinct(IndexTable.SOP_CLASS_UID, "\\").withinGroupOrderBy(IndexTable.SOP_CLASS_UID)
                .as("sop_classes");
        fields.add(modalities);
        fields.add(classes);
        fields.add(countDistinct(IndexTable.SERIES_UID).as("series_count"));
        fields.add(countDistinct(IndexTable.SOP_INSTANCE_UID).as("instance_count"));
        fields.add(SAMPLE);
        // Two steps: the page's studies first (one aggregate, and the number of all matches as a window count),
        // then every attribute for those studies only. A broad search (PatientName=A*) matches thousands of
        // studies; aggregating fifteen columns over all of them to keep a hundred cost most of the answer.
        var page = dsl.select(IndexTable.STUDY_UID, TOTAL).from(IndexTable.T).where(where)
                .groupBy(IndexTable.STUDY_UID).having(having)
                .orderBy(min(IndexTable.STUDY_DATE).desc().nullsLast(), IndexTable.STUDY_UID)
                .limit(limit).offset(offset).fetch();
        long total = total(page, offset, () -> dsl.fetchCount(dsl.select(IndexTable.STUDY_UID).from(IndexTable.T).where(where)
                .groupBy(IndexTable.STUDY_UID).having(having)));
        List<String> uids = page.map(r -> r.get(IndexTable.STUDY_UID));
        // The attributes of the page's studies are those of all their visible instances (a study's number of
        // instances counts them all, PS3.18 Table 6.7.1-2), found by study UID: repeating the keys here made the
        // database walk every match again (a thousand rows for PatientName=PAT01*) to keep a hundred studies.
        Map<String, Record> byUid = uids.isEmpty() ? Map.of()
                : dsl.select(IndexTable.STUDY_UID).select(fields).from(IndexTable.T).where(visible).and(IndexTable.STUDY_UID.in(uids))
                        .groupBy(IndexTable.STUDY_UID).fetchMap(IndexTable.STUDY_UID);
        List<Record> rows = uids.stream().map(byUid::get).filter(java.util.Objects::nonNull).toList();
        List<Attributes> result = new ArrayList<>();
        for (Record r : rows) {
            Attributes a = utf8();
            put(a, QueryKey.STUDY_INSTANCE_UID, r.get(IndexTable.STUDY_UID));
            for (QueryKey key : QueryKey.returnedAt(QueryLevel.STUDY)) {
                if (key != QueryKey.STUDY_INSTANCE_UID && key != QueryKey.MODALITIES_IN_STUDY) {
                    put(a, key, r.get(key.keyword));
                }
            }
            a.setString(QueryKey.MODALITIES_IN_STUDY.tag, VR.CS, values(r.get(modalities)));
            a.setString(0x00080062, VR.UI, values(r.get(classes)));
            a.setString(0x00201206, VR.IS, Integer.toString(r.get("series_count", Integer.class)));
            a.setString(0x00201208, VR.IS, Integer.toString(r.get("instance_count", Integer.class)));
            include(a, r.get(SAMPLE), caller, included, QueryLevel.STUDY);
            result.add(a);
        }
        return new Matches(result, total, limited);
    }

    /** Adds what {@code includefield} asks for beyond the index, read from one readable instance of the match. */
    private void include(Attributes match, String sampleSha256, Caller caller, IncludedFields included, QueryLevel level) {
        if (included.isEmpty() || sampleSha256 == null) {
            return;
        }
        try {
            // A search is not audited; the sample is read as part of one.
            ReadableBytes sample = repo.bytes().read(caller, List.of(sampleSha256), StoredBytes.Audit.partOf("dicom.search"));
            DicomFile instance = DicomReader.read(sample.path(sampleSha256),
                    DicomReader.Options.DEFAULT.withStopAfter(org.arca.dicom.Tag.PixelData - 1));
            included.copy(instance.dataset(), match, level);
        } catch (ArcaException e) {
            // Its item was deleted since the match was found: the answer stands without the extra attributes.
        } catch (IOException e) {
            // Malformed or gone (DicomFormatException is an IOException): it was readable when indexed, so this
            // is a damaged blob for verify to report; the answer stands without the extra attributes.
        }
    }

    /** The window count on the page's rows; a page past the end has none, so it asks the database. */
    private static long total(List<? extends Record> rows, int offset, java.util.function.LongSupplier count) {
        if (!rows.isEmpty()) {
            return rows.get(0).get(TOTAL);
        }
        return offset == 0 ? 0 : count.getAsLong();
    }

    private static String[] values(String joined) {
        return joined == null || joined.isEmpty() ? new String[0] : joined.split("\\\\");
    }

    private Matches series(DSLContext dsl, Condition where, int limit, int offset, boolean limited, Caller caller,
                            IncludedFields included) {
        List<SelectFieldOrAsterisk> fields = new ArrayList<>();
        for (QueryKey key : QueryKey.returnedAt(QueryLevel.SERIES)) {
            if (key != QueryKey.SERIES_INSTANCE_UID) {
                fields.add(min(key.column).as(key.keyword));
            }
        }
        fields.add(countDistinct(IndexTable.SOP_INSTANCE_UID).as("instance_count"));
        fields.add(SAMPLE);
        fields.add(TOTAL);
        var rows = dsl.select(IndexTable.SERIES_UID).select(fields).from(IndexTable.T).where(where)
                .groupBy(IndexTable.SERIES_UID)
                .orderBy(min(IndexTable.SERIES_NUMBER).nullsLast(), IndexTable.SERIES_UID)
                .limit(limit).offset(offset).fetch();
        long total = total(rows, offset, () -> dsl.fetchCount(dsl.selectDistinct(IndexTable.SERIES_UID).from(IndexTable.T).where(where)));
        List<Attributes> result = new ArrayList<>();
        for (Record r : rows) {
            Attributes a = utf8();
            put(a, QueryKey.SERIES_INSTANCE_UID, r.get(IndexTable.SERIES_UID));
            for (QueryKey key : QueryKey.returnedAt(QueryLevel.SERIES)) {
                if (key != QueryKey.SERIES_INSTANCE_UID) {
                    put(a, key, r.get(key.keyword));
                }
            }
            a.setString(0x00201209, VR.IS, Integer.toString(r.get("instance_count", Integer.class)));
            include(a, r.get(SAMPLE), caller, included, QueryLevel.SERIES);
            result.add(a);
        }
        return new Matches(result, total, limited);
    }

    private Matches instances(DSLContext dsl, Condition where, int limit, int offset, boolean limited, Caller caller,
                            IncludedFields included) {
        List<Field<?>> fields = new ArrayList<>();
        for (QueryKey key : QueryKey.returnedAt(QueryLevel.INSTANCE)) {
            fields.add(key.column);
        }
        fields.add(IndexTable.SHA256.as(SAMPLE.getName()));
        fields.add(TOTAL);
        var rows = dsl.select(fields).from(IndexTable.T).where(where)
                .orderBy(IndexTable.SERIES_UID, IndexTable.INSTANCE_NUMBER.nullsLast(), IndexTable.SOP_INSTANCE_UID)
                .limit(limit).offset(offset).fetch();
        long total = total(rows, offset, () -> dsl.fetchCount(IndexTable.T, where));
        List<Attributes> result = new ArrayList<>();
        for (Record r : rows) {
            Attributes a = utf8();
            for (QueryKey key : QueryKey.returnedAt(QueryLevel.INSTANCE)) {
                put(a, key, r.get(key.column));
            }
            include(a, r.get(SAMPLE), caller, included, QueryLevel.INSTANCE);
            result.add(a);
        }
        return new Matches(result, total, limited);
    }

    /**
     * Keeps one copy of each SOP Instance UID: of the instances with that UID the caller may read within the scope,
     * the one stored first (lowest item id; ids begin with their creation time). Users who cannot read each other's
     * folders may each store an instance under one UID (docs/dicomweb.md); a caller who reads several copies gets
     * the same one from every instance search and retrieval.
     */
    private Condition firstCopy(Caller caller, Scope scope) {
        Field<String> earlierItem = DSL.field(DSL.name("earlier_copy", "item_id"), String.class);
        Field<String> earlierSop = DSL.field(DSL.name("earlier_copy", "sop_instance_uid"), String.class);
        Condition earlier = earlierSop.eq(IndexTable.SOP_INSTANCE_UID).and(earlierItem.lt(IndexTable.ITEM_ID))
                .and(repo.access().readableItem(caller, earlierItem));
        if (scope.folderId() != null) {
            earlier = earlier.and(repo.access().itemWithin(scope.folderId(), earlierItem));
        }
        // One lookup on the UID's index per matching row: cheap where few rows match (retrievals name a study at
        // least); a broad search pays one more pass over the readable rows (PostgreSQL hashes them).
        return DSL.notExists(DSL.selectOne().from(IndexTable.T.as("earlier_copy")).where(earlier));
    }

    /**
     * ModalitiesInStudy in a study search: some matching instance of the study has one of the modalities. A
     * condition on the study's group, where the instances are at hand already: the correlated EXISTS this
     * replaced looked each study up again, most of the cost of ModalitiesInStudy=CT&StudyDate=... on H2.
     */
    private static Condition anyModality(String value) {
        List<String> values = List.of(value.split("\\\\"));
        return DSL.max(DSL.when(IndexTable.MODALITY.in(values), DSL.inline(1)).otherwise(DSL.inline(0))).eq(DSL.inline(1));
    }

    private Condition modalitiesInStudy(Caller caller, String value) {
        var inner = IndexTable.T.as("m");
        Field<String> innerStudy = DSL.field(DSL.name("m", "study_uid"), String.class);
        Field<String> innerModality = DSL.field(DSL.name("m", "modality"), String.class);
        Field<String> innerItem = DSL.field(DSL.name("m", "item_id"), String.class);
        List<String> values = List.of(value.split("\\\\"));
        // Correlated EXISTS, not IN (subquery): the other keys narrow the outer rows first, and each check is
        // one index lookup, where IN built the set of every study with that modality.
        return DSL.exists(DSL.selectOne().from(inner).where(innerStudy.eq(IndexTable.STUDY_UID)).and(innerModality.in(values))
                .and(repo.access().readableItem(caller, innerItem)));
    }

    /** Results carry UTF-8 text whatever each stored instance used; the index holds decoded strings. */
    private static Attributes utf8() {
        Attributes a = new Attributes();
        a.setString(org.arca.dicom.Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        return a;
    }

    private static void put(Attributes a, QueryKey key, Object value) {
        if (value == null && key.vr == VR.US) {
            a.setInt(key.tag, key.vr);
        } else if (value == null) {
            a.setString(key.tag, key.vr);
        } else if (key.vr == VR.US) {
            a.setInt(key.tag, key.vr, ((Number) value).longValue());
        } else {
            a.setString(key.tag, key.vr, value.toString());
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String name, int fallback) {
        String text = first(params, name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ArcaException.invalid("invalid_" + name, "'" + name + "' must be a whole number.");
        }
    }

    static Map<String, String> uids(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
