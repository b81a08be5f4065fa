package org.arca.preview;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unpack jobs are rows: a second {@link UnpackJobs} over the same database stands for Arca after a restart.
 * It must show its owner a finished job's outcome, and fail a job the stop cut short instead of forgetting it.
 */
class UnpackJobsTest {
    static final Map<TestDatabases.Kind, TestRepository> REPOSITORIES = new EnumMap<>(TestDatabases.Kind.class);

    @AfterAll
    static void close() {
        REPOSITORIES.values().forEach(TestRepository::close);
    }

    @ParameterizedTest
    @MethodSource("org.arca.core.TestDatabases#kinds")
    void aFinishedJobIsStillReadableByItsOwnerAfterARestart(TestDatabases.Kind kind) throws Exception {
        TestRepository test = repository(kind);
        Caller owner = test.user("finisher-" + kind);
        Caller other = test.user("other-" + kind);
        Folder collection = test.repo().folders().createCollection(owner, "Archives " + kind, null);
        Folder target = test.repo().folders().create(owner, collection.id(), "Unpacked", null);
        Item archive = upload(test, owner, collection, SampleFiles.zip("a/one.txt", "one", "two.txt", "two"));

        UnpackJobs.Job started;
        try (UnpackJobs before = new UnpackJobs(test.repo(), ZipUnpack.Limits.defaults())) {
            started = before.start(owner, archive.id(), target.id());
            String id = started.id();
            UnpackJobs.Job job = Eventually.until("unpack job " + id + " to end", () -> {
                UnpackJobs.Job now = before.get(owner, id);
                return now.state().equals(UnpackJobs.Job.RUNNING) ? null : now;
            });
            assertThat(job.state()).as(job.message()).isEqualTo(UnpackJobs.Job.DONE);
        }

        try (UnpackJobs after = new UnpackJobs(test.repo(), ZipUnpack.Limits.defaults())) {
            UnpackJobs.Job job = after.get(owner, started.id());
            assertThat(job.state()).isEqualTo(UnpackJobs.Job.DONE);
            assertThat(job.done()).isEqualTo(2);
            assertThat(job.total()).isEqualTo(2);
            assertThat(job.message()).isEqualTo("Unpacked 2 files.");
            assertThat(job.itemId()).isEqualTo(archive.id());
            assertArcaError(() -> after.get(other, started.id()), "not_found");
        }
        assertThat(test.repo().items().find(owner, target.id(), "two.txt")).isPresent();
    }

    @ParameterizedTest
    @MethodSource("org.arca.core.TestDatabases#kinds")
    void aJobCutShortByAStopIsFailedOnTheNextStartSayingSo(TestDatabases.Kind kind) throws Exception {
        TestRepository test = repository(kind);
        Caller owner = test.user("stopper-" + kind);
        Folder collection = test.repo().folders().createCollection(owner, "Stopped " + kind, null);
        Folder target = test.repo().folders().create(owner, collection.id(), "Half", null);
        Item archive = upload(test, owner, collection, SampleFiles.zip("x.txt", "x", "y.txt", "y"));

        // The stopping process: its only thread is busy, so the job is recorded but never gets to run.
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        stuck.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        UnpackJobs stopping = new UnpackJobs(test.repo(), ZipUnpack.Limits.defaults(), stuck);
        UnpackJobs.Job started = stopping.start(owner, archive.id(), target.id());
        assertThat(stopping.get(owner, started.id()).state()).isEqualTo(UnpackJobs.Job.RUNNING);

        try (UnpackJobs restarted = new UnpackJobs(test.repo(), ZipUnpack.Limits.defaults())) {
            stopping.close(); // drops the queued job, as the end of the process would
            UnpackJobs.Job job = restarted.get(owner, started.id());
            assertThat(job.state()).isEqualTo(UnpackJobs.Job.FAILED);
            assertThat(job.message()).contains("Arca stopped while unpacking").contains("Start the unpack again");
            assertThat(job.done()).isZero();
            assertThat(job.total()).isEqualTo(2);
        }
        assertThat(test.repo().folders().children(owner, target.id(), 10, 0).total()).isZero();
    }

    private static TestRepository repository(TestDatabases.Kind kind) {
        return REPOSITORIES.computeIfAbsent(kind,
                k -> new TestRepository(k, config -> config.withSchemas(java.util.List.of(DocumentPreviewPlugin.SCHEMA))));
    }

    private static Item upload(TestRepository test, Caller owner, Folder folder, byte[] zip) {
        return test.repo().items().upload(owner, folder.id(), "archive.zip", "application/zip", new ByteArrayInputStream(zip),
                zip.length, false);
    }
}
