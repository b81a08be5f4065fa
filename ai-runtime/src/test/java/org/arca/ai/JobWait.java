package org.arca.ai;

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
}
