package org.arca.preview;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.arca.core.ArcaException;
import org.arca.core.Caller;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background unpack jobs: the archive is checked when the job is asked for (a refused archive is an error
 * of the request, and nothing is written), then unpacked on a thread of its own while its progress can be
 * read. Jobs live in memory: a restart forgets them (items already made stay). A job is visible only to
 * the caller who started it. Thread-safe.
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

    private record Owned(String userId, Job job) {
    }

    private final Repository repo;
    private final ZipUnpack unpack;
    private final Map<String, Owned> jobs = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("arca-unpack").factory());

    public UnpackJobs(Repository repo, ZipUnpack.Limits limits) {
        this.repo = repo;
        this.unpack = new ZipUnpack(repo, limits);
    }

    /** Checks the archive and access now, and starts unpacking; refusals are thrown before any change. */
    public Job start(Caller caller, String itemId, String targetFolderId) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to unpack archives.");
        }
        Item item = repo.items().get(caller, itemId);
        unpack.target(caller, targetFolderId);
        ZipFile zip;
        List<ZipUnpack.Entry> plan;
        try {
            zip = ZipUnpack.open(repo.blobs().path(item.primaryFile().sha256()));
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
        jobs.put(job.id(), new Owned(caller.userId(), job));
        repo.audit().record(caller, "item.extract", "item", itemId, "target=" + targetFolderId + " entries=" + plan.size());
        runner.execute(() -> run(caller, zip, plan, job));
        return job;
    }

    private void run(Caller caller, ZipFile zip, List<ZipUnpack.Entry> plan, Job job) {
        try (zip) {
            int made = unpack.unpack(caller, zip, plan, job.targetFolderId(),
                    (done, total) -> update(job.id(), Job.RUNNING, done, null));
            update(job.id(), Job.DONE, made, "Unpacked " + made + " files.");
        } catch (ArcaException e) {
            update(job.id(), Job.FAILED, -1, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("unpack job {} failed", job.id(), e);
            update(job.id(), Job.FAILED, -1, "The archive could not be read to the end.");
        }
    }

    private void update(String id, String state, int done, String message) {
        jobs.computeIfPresent(id, (k, owned) -> {
            Job j = owned.job();
            return new Owned(owned.userId(), new Job(j.id(), j.itemId(), j.targetFolderId(), state, done < 0 ? j.done() : done,
                    j.total(), message, j.startedAt()));
        });
    }

    /** A job of the caller's (admins see all); others' jobs are not found. */
    public Job get(Caller caller, String id) {
        Owned owned = jobs.get(id);
        if (owned == null || !(caller.isAdmin() || (caller.signedIn() && caller.userId().equals(owned.userId())))) {
            throw ArcaException.notFound("The job");
        }
        return owned.job();
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
