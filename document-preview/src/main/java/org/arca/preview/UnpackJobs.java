package org.arca.preview;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.arca.core.ArcaException;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background unpack jobs: the archive is checked when the job is asked for (a refused archive is an error
 * of the request, and nothing is written), then unpacked on a thread of its own while its progress can be
 * read. Jobs are rows in the database, so their owner reads the outcome after a restart, and a job a stop
 * cut short is failed on the next start, saying how far it got, instead of being forgotten. A job is
 * visible only to the caller who started it (and admins). Thread-safe.
 */
public final class UnpackJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnpackJobs.class);

    /** A job as its owner sees it. */
    public record Job(String id, String itemId, String targetFolderId, String state, int done, int total, String message,
                      Instant startedAt) {
        public static final String RUNNING = "running";
        public static final String DONE = "done";
        public static final String FAILED = "failed";
    }

    /** What a job cut short by a stop says; the entries it counted as done were made and stay. */
    static final String INTERRUPTED = "Arca stopped while unpacking this archive: the files counted as done were made and "
            + "stay in the folder, the rest were not. Start the unpack again into an empty folder to get them all.";

    /** Progress is written at most this often (and always at the end), not once per entry of a large archive. */
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

    private final Repository repo;
    private final ZipUnpack unpack;
    private final UnpackJobTable table;
    private final ExecutorService runner;

    public UnpackJobs(Repository repo, ZipUnpack.Limits limits) {
        this(repo, limits, Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("arca-unpack").factory()));
    }

    /** With the executor that runs jobs given, so that a test can stand in for a process that stops mid-job. */
    UnpackJobs(Repository repo, ZipUnpack.Limits limits, ExecutorService runner) {
        repo.requireSchema(DocumentPreviewPlugin.SCHEMA);
        this.repo = repo;
        this.unpack = new ZipUnpack(repo, limits);
        this.table = new UnpackJobTable(repo.database());
        this.runner = runner;
        int interrupted = table.failInterrupted();
        if (interrupted > 0) {
            LOG.warn("{} unpack job(s) were cut short by the last stop and are now failed", interrupted);
        }
    }

    /** Checks the archive and access now, and starts unpacking; refusals are thrown before any change. */
    public Job start(Caller caller, String itemId, String targetFolderId) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to unpack archives.");
        }
        Item item = repo.items().get(caller, itemId);
        unpack.requireTarget(caller, targetFolderId);
        ZipFile zip;
        List<ZipUnpack.Entry> plan;
        // Audited below as item.extract, with the number of entries, which only reading the archive tells.
        Path archive = repo.bytes().read(caller, item.primaryFile(), StoredBytes.Audit.partOf("item.extract"))
                .path(item.primaryFile().sha256());
        try {
            zip = ZipUnpack.open(archive);
        } catch (IOException e) {
            throw ArcaException.invalid("not_a_zip", "The item is not a ZIP archive Arca can read.");
        }
        try {
            plan = unpack.plan(zip);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
        Job job = new Job(java.util.UUID.randomUUID().toString().replace("-", ""), itemId, targetFolderId, Job.RUNNING, 0, plan.size(), null, Instant.now());
        try {
            table.insert(caller.userId(), job);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
        repo.audit().record(caller, "item.extract", "item", itemId, "target=" + targetFolderId + " entries=" + plan.size());
        runner.execute(() -> run(caller, zip, plan, job));
        return job;
    }

    private void run(Caller caller, ZipFile zip, List<ZipUnpack.Entry> plan, Job job) {
        int[] made = {0};
        long[] written = {System.nanoTime()};
        try (zip) {
            unpack.unpack(caller, zip, plan, job.targetFolderId(), (done, total) -> {
                made[0] = done;
                if (System.nanoTime() - written[0] >= PROGRESS_EVERY_NANOS) {
                    table.update(job.id(), Job.RUNNING, done, null);
                    written[0] = System.nanoTime();
                }
            });
            table.update(job.id(), Job.DONE, made[0], "Unpacked " + made[0] + " files.");
        } catch (ArcaException e) {
            table.update(job.id(), Job.FAILED, made[0], e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("unpack job {} failed", job.id(), e);
            table.update(job.id(), Job.FAILED, made[0], "The archive could not be read to the end.");
        }
    }

    /** A job of the caller's (admins see all); others' jobs are not found. */
    public Job get(Caller caller, String id) {
        UnpackJobTable.Row row = table.find(id).orElse(null);
        if (row == null) {
            throw ArcaException.notFound("The job");
        }
        AccessControl.requireOwnerOrAdmin(caller, row.userId(), "The job");
        return row.job();
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException e) {
            // nothing was read from it
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
