package org.arca.ai;

import static org.arca.ai.AiTables.instant;
import static org.arca.ai.AiTables.stamp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arca.ai.AiTables.Jobs;
import org.arca.core.Database;
import org.jooq.Record;

/**
 * Job rows. Claiming is a conditional update from {@code queued} to {@code running}, so two runners (or two
 * servers on one database) never take the same job; a finish only applies to a job still running, so a
 * cancel that raced with the end of a run wins.
 */
final class JobStore {
    private static final int LOG_LIMIT = 20000;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Long>> TIMINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Job.Result>> RESULTS = new TypeReference<>() {
    };

    private final Database db;

    JobStore(Database db) {
        this.db = db;
    }

    void insert(String id, ModelVersion model, String userId, JobRequest request, Map<String, Object> parameters,
                String outputFolderId) {
        db.dsl().insertInto(Jobs.T).set(Jobs.ID, id).set(Jobs.MODEL_NAME, model.name())
                .set(Jobs.MODEL_VERSION, model.version()).set(Jobs.MODEL_SHA256, model.approvedSha256())
                .set(Jobs.USER_ID, userId).set(Jobs.STUDY_UID, request.studyUid()).set(Jobs.SERIES_UID, request.seriesUid())
                .set(Jobs.PARAMETERS, json(parameters)).set(Jobs.OUTPUT_FOLDER, outputFolderId)
                .set(Jobs.STATUS, JobStatus.QUEUED.wireName()).set(Jobs.PROGRESS, 0.0).set(Jobs.LOG, "")
                .set(Jobs.RESULTS, "[]").set(Jobs.TIMINGS, "{}").set(Jobs.CREATED_AT, stamp(Instant.now())).execute();
    }

    Optional<Job> find(String id) {
        return db.dsl().select(Jobs.ALL).from(Jobs.T).where(Jobs.ID.eq(id)).fetchOptional(JobStore::job);
    }

    /** The user's jobs, or everybody's for {@code userId == null}, newest first. */
    List<Job> list(String userId, int limit) {
        var where = userId == null ? org.jooq.impl.DSL.noCondition() : Jobs.USER_ID.eq(userId);
        return db.dsl().select(Jobs.ALL).from(Jobs.T).where(where).orderBy(Jobs.CREATED_AT.desc()).limit(limit).fetch(JobStore::job);
    }

    /** Takes the oldest queued job, if any, and marks it running. */
    Optional<Job> claimNext() {
        for (String id : db.dsl().select(Jobs.ID).from(Jobs.T).where(Jobs.STATUS.eq(JobStatus.QUEUED.wireName()))
                .orderBy(Jobs.CREATED_AT).limit(5).fetch(Jobs.ID)) {
            int claimed = db.dsl().update(Jobs.T).set(Jobs.STATUS, JobStatus.RUNNING.wireName())
                    .set(Jobs.STARTED_AT, stamp(Instant.now())).where(Jobs.ID.eq(id))
                    .and(Jobs.STATUS.eq(JobStatus.QUEUED.wireName())).execute();
            if (claimed == 1) {
                return find(id);
            }
        }
        return Optional.empty();
    }

    void progress(String id, double progress) {
        db.dsl().update(Jobs.T).set(Jobs.PROGRESS, progress).where(Jobs.ID.eq(id))
                .and(Jobs.STATUS.eq(JobStatus.RUNNING.wireName())).execute();
    }

    /** Ends a running job; false when it was no longer running (cancelled meanwhile). */
    boolean finish(String id, JobStatus status, String error, String log, List<Job.Result> results, Map<String, Long> timings) {
        return db.dsl().update(Jobs.T).set(Jobs.STATUS, status.wireName()).set(Jobs.ERROR, cut(error, 2000))
                .set(Jobs.LOG, cut(log, LOG_LIMIT)).set(Jobs.RESULTS, json(results)).set(Jobs.TIMINGS, json(timings))
                .set(Jobs.PROGRESS, status == JobStatus.SUCCEEDED ? org.jooq.impl.DSL.val(1.0) : Jobs.PROGRESS)
                .set(Jobs.FINISHED_AT, stamp(Instant.now())).where(Jobs.ID.eq(id))
                .and(Jobs.STATUS.eq(JobStatus.RUNNING.wireName())).execute() == 1;
    }

    /** Cancels a job that has not finished; false when it already had. */
    boolean cancel(String id) {
        return db.dsl().update(Jobs.T).set(Jobs.STATUS, JobStatus.CANCELLED.wireName())
                .set(Jobs.ERROR, "Cancelled by its owner.").set(Jobs.FINISHED_AT, stamp(Instant.now())).where(Jobs.ID.eq(id))
                .and(Jobs.STATUS.in(JobStatus.QUEUED.wireName(), JobStatus.RUNNING.wireName())).execute() == 1;
    }

    /**
     * At start: jobs left running by a stopped server are failed, with a message saying so. Re-running them
     * silently could store results twice; the owner can submit again.
     */
    int failInterrupted() {
        return db.dsl().update(Jobs.T).set(Jobs.STATUS, JobStatus.FAILED.wireName())
                .set(Jobs.ERROR, "Arca stopped while this job ran; nothing was stored. Submit it again.")
                .set(Jobs.FINISHED_AT, stamp(Instant.now())).where(Jobs.STATUS.eq(JobStatus.RUNNING.wireName())).execute();
    }

    private static Job job(Record r) {
        Double progress = r.get(Jobs.PROGRESS);
        return new Job(r.get(Jobs.ID), r.get(Jobs.MODEL_NAME), r.get(Jobs.MODEL_VERSION), r.get(Jobs.MODEL_SHA256),
                r.get(Jobs.USER_ID), r.get(Jobs.STUDY_UID), r.get(Jobs.SERIES_UID), read(r.get(Jobs.PARAMETERS), MAP),
                r.get(Jobs.OUTPUT_FOLDER), JobStatus.parse(r.get(Jobs.STATUS)), progress == null ? 0 : progress,
                r.get(Jobs.LOG), r.get(Jobs.ERROR), read(r.get(Jobs.RESULTS), RESULTS), read(r.get(Jobs.TIMINGS), TIMINGS),
                instant(r.get(Jobs.CREATED_AT)), instant(r.get(Jobs.STARTED_AT)), instant(r.get(Jobs.FINISHED_AT)));
    }

    static String json(Object value) {
        try {
            return ManifestParser.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return ManifestParser.JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job row holds bad JSON", e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(s.length() - max);
    }
}
