package org.arca.preview;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.arca.core.Database;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The {@code unpack_jobs} table of {@code db/preview}: one row per unpack job, read and written by {@link UnpackJobs}. */
final class UnpackJobTable {
    private static final Table<Record> T = table(name("unpack_jobs"));
    private static final Field<String> ID = field(name("unpack_jobs", "id"), String.class);
    private static final Field<String> USER_ID = field(name("unpack_jobs", "user_id"), String.class);
    private static final Field<String> ITEM_ID = field(name("unpack_jobs", "item_id"), String.class);
    private static final Field<String> TARGET = field(name("unpack_jobs", "target_folder_id"), String.class);
    private static final Field<String> STATE = field(name("unpack_jobs", "state"), String.class);
    private static final Field<Integer> DONE = field(name("unpack_jobs", "done_entries"), Integer.class);
    private static final Field<Integer> TOTAL = field(name("unpack_jobs", "total_entries"), Integer.class);
    private static final Field<String> MESSAGE = field(name("unpack_jobs", "message"), String.class);
    private static final Field<OffsetDateTime> STARTED_AT = field(name("unpack_jobs", "started_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> UPDATED_AT = field(name("unpack_jobs", "updated_at"), OffsetDateTime.class);

    /** A row: the job and who owns it. */
    record Row(String userId, UnpackJobs.Job job) {
    }

    private final Database db;

    UnpackJobTable(Database db) {
        this.db = db;
    }

    void insert(String userId, UnpackJobs.Job job) {
        db.dsl().insertInto(T)
                .set(ID, job.id()).set(USER_ID, userId).set(ITEM_ID, job.itemId()).set(TARGET, job.targetFolderId())
                .set(STATE, job.state()).set(DONE, job.done()).set(TOTAL, job.total()).set(MESSAGE, job.message())
                .set(STARTED_AT, at(job.startedAt())).set(UPDATED_AT, now())
                .execute();
    }

    /** Moves a running job on; a job that is no longer running (failed by a restart) is left as it is. */
    void update(String id, String state, int done, String message) {
        db.dsl().update(T).set(STATE, state).set(DONE, done).set(MESSAGE, message).set(UPDATED_AT, now())
                .where(ID.eq(id)).and(STATE.eq(UnpackJobs.Job.RUNNING))
                .execute();
    }

    Optional<Row> find(String id) {
        return db.dsl().select(USER_ID, ITEM_ID, TARGET, STATE, DONE, TOTAL, MESSAGE, STARTED_AT).from(T).where(ID.eq(id))
                .fetchOptional()
                .map(r -> new Row(r.value1(), new UnpackJobs.Job(id, r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8().toInstant())));
    }

    /**
     * Fails every job still marked running: called once at start, when no job of this process runs yet, so
     * those rows belong to a process that stopped. Returns how many there were.
     */
    int failInterrupted() {
        return db.dsl().update(T).set(STATE, UnpackJobs.Job.FAILED)
                .set(MESSAGE, UnpackJobs.INTERRUPTED)
                .set(UPDATED_AT, now())
                .where(STATE.eq(UnpackJobs.Job.RUNNING))
                .execute();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
