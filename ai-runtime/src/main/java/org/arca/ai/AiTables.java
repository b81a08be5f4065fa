package org.arca.ai;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The AI runtime's tables as jOOQ sees them; kept in step with {@code db/ai}. */
final class AiTables {
    private AiTables() {
    }

    /** Model versions: {@code ai_models}. */
    static final class Models {
        private Models() {
        }

        static final Table<Record> T = table(name("ai_models"));
        static final Field<String> NAME = field(name("ai_models", "name"), String.class);
        static final Field<String> VERSION = field(name("ai_models", "version"), String.class);
        static final Field<String> STATUS = field(name("ai_models", "status"), String.class);
        static final Field<String> SHA256 = field(name("ai_models", "sha256"), String.class);
        static final Field<Long> SIZE = field(name("ai_models", "size_bytes"), Long.class);
        static final Field<String> MANIFEST = field(name("ai_models", "manifest"), String.class);
        static final Field<String> SUBMITTED_BY = field(name("ai_models", "submitted_by"), String.class);
        static final Field<OffsetDateTime> SUBMITTED_AT = field(name("ai_models", "submitted_at"), OffsetDateTime.class);
        static final Field<String> REVIEWED_BY = field(name("ai_models", "reviewed_by"), String.class);
        static final Field<OffsetDateTime> REVIEWED_AT = field(name("ai_models", "reviewed_at"), OffsetDateTime.class);
        static final Field<String> APPROVED_SHA256 = field(name("ai_models", "approved_sha256"), String.class);
        static final Field<String> REASON = field(name("ai_models", "reason"), String.class);
        static final List<Field<?>> ALL = List.of(NAME, VERSION, STATUS, SHA256, SIZE, MANIFEST, SUBMITTED_BY, SUBMITTED_AT,
                REVIEWED_BY, REVIEWED_AT, APPROVED_SHA256, REASON);
    }

    /** Jobs: {@code ai_jobs}. */
    static final class Jobs {
        private Jobs() {
        }

        static final Table<Record> T = table(name("ai_jobs"));
        static final Field<String> ID = field(name("ai_jobs", "id"), String.class);
        static final Field<String> MODEL_NAME = field(name("ai_jobs", "model_name"), String.class);
        static final Field<String> MODEL_VERSION = field(name("ai_jobs", "model_version"), String.class);
        static final Field<String> MODEL_SHA256 = field(name("ai_jobs", "model_sha256"), String.class);
        static final Field<String> USER_ID = field(name("ai_jobs", "user_id"), String.class);
        static final Field<String> STUDY_UID = field(name("ai_jobs", "study_uid"), String.class);
        static final Field<String> SERIES_UID = field(name("ai_jobs", "series_uid"), String.class);
        static final Field<String> PARAMETERS = field(name("ai_jobs", "parameters"), String.class);
        static final Field<String> OUTPUT_FOLDER = field(name("ai_jobs", "output_folder"), String.class);
        static final Field<String> STATUS = field(name("ai_jobs", "status"), String.class);
        static final Field<Double> PROGRESS = field(name("ai_jobs", "progress"), Double.class);
        static final Field<String> LOG = field(name("ai_jobs", "log"), String.class);
        static final Field<String> ERROR = field(name("ai_jobs", "error"), String.class);
        static final Field<String> RESULTS = field(name("ai_jobs", "results"), String.class);
        static final Field<String> TIMINGS = field(name("ai_jobs", "timings"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("ai_jobs", "created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> STARTED_AT = field(name("ai_jobs", "started_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> FINISHED_AT = field(name("ai_jobs", "finished_at"), OffsetDateTime.class);
        static final List<Field<?>> ALL = List.of(ID, MODEL_NAME, MODEL_VERSION, MODEL_SHA256, USER_ID, STUDY_UID, SERIES_UID,
                PARAMETERS, OUTPUT_FOLDER, STATUS, PROGRESS, LOG, ERROR, RESULTS, TIMINGS, CREATED_AT, STARTED_AT, FINISHED_AT);
    }

    static OffsetDateTime stamp(java.time.Instant instant) {
        return instant == null ? null
                : instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).atOffset(java.time.ZoneOffset.UTC);
    }

    static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
