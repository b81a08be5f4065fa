package org.arca.ai;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.arca.core.Eventually;
import org.arca.core.access.Caller;

/** Waiting for a job that the runner works on in the background. */
public final class JobWait {
    private JobWait() {
    }

    /** Waits for the job to end. */
    public static Job finished(AiRuntime ai, Caller caller, String id) {
        return Eventually.until("job " + id + " to finish", () -> {
            Job job = ai.jobs().get(caller, id);
            return job.status().finished() ? job : null;
        });
    }

    /** Waits for the job's worker JVM to run; empty if the job ended first. */
    static Optional<ProcessHandle> worker(AiRuntime ai, Caller caller, String id) {
        return Eventually.until("a worker for job " + id, () -> {
            Optional<ProcessHandle> jvm = ai.workerJvm(id);
            return jvm.isPresent() || ai.jobs().get(caller, id).status().finished() ? jvm : null;
        });
    }

    /**
     * The folder a worker JVM was started on: the last argument of its command line. Read from /proc, which
     * gave no arguments once for a JVM found a moment before (its executable already java), so it is read again
     * for up to ten seconds; a worker that ended meanwhile fails here.
     */
    static Path folderOf(ProcessHandle worker) {
        return Eventually.until("the command line of worker " + worker.pid(), Duration.ofSeconds(10), () -> {
            Optional<String[]> args = worker.info().arguments();
            if (args.isPresent() && args.get().length > 0) {
                List<String> list = List.of(args.get());
                return Path.of(list.get(list.size() - 1));
            }
            if (!worker.isAlive()) {
                throw new AssertionError("worker " + worker.pid() + " ended before its command line could be read");
            }
            return null;
        });
    }

    /** Waits until a spare worker's JVM waits for the next job, and returns it. */
    static ProcessHandle spare(AiRuntime ai) {
        return Eventually.until("a spare worker", () -> ai.spareJvm().orElse(null));
    }
}
