package org.arca.ai;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.arca.core.Caller;

/** Waiting for a job that the runner works on in the background. */
final class JobWait {
    private JobWait() {
    }

    /** Waits for the job to end. Not a timing assertion: only a bound on a hang (two minutes). */
    static Job finished(AiRuntime ai, Caller caller, String id) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Job job = ai.jobs().get(caller, id);
            if (job.status().finished()) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    /** Waits for the job's worker JVM to run (two minutes at most); empty if the job ended first. */
    static Optional<ProcessHandle> worker(AiRuntime ai, Caller caller, String id) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Optional<ProcessHandle> jvm = ai.workerJvm(id);
            if (jvm.isPresent() || ai.jobs().get(caller, id).status().finished()) {
                return jvm;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " got no worker");
    }

    /**
     * The folder a worker JVM was started on: the last argument of its command line. Read from /proc, which
     * gave no arguments once for a JVM found a moment before (its executable already java), so it is read again
     * for up to ten seconds; a worker that ended meanwhile fails here.
     */
    static Path folderOf(ProcessHandle worker) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<String[]> args = worker.info().arguments();
            if (args.isPresent() && args.get().length > 0) {
                List<String> list = List.of(args.get());
                return Path.of(list.get(list.size() - 1));
            }
            if (!worker.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the command line of worker " + worker.pid() + " could not be read (alive: "
                + worker.isAlive() + ")");
    }

    /** Waits until a spare worker's JVM waits for the next job (two minutes at most), and returns it. */
    static ProcessHandle spare(AiRuntime ai) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Optional<ProcessHandle> jvm = ai.spareJvm();
            if (jvm.isPresent()) {
                return jvm.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no spare worker was started");
    }
}
