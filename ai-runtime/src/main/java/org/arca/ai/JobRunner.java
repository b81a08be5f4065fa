package org.arca.ai;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes queued jobs from the database one at a time and runs each in a worker process. On start it fails jobs
 * a previous process left running (said in their error), then picks up what is still queued. A cancel marks
 * the row and kills the job's worker. When the queue is idle it has the workers' class archive made, which a job
 * that comes stops. Start once, close once.
 */
final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final JobExecution execution;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean stopped;
    /** The run making the workers' class archive, while it runs: a job that comes stops it. */
    private volatile Process warming;
    private volatile boolean preempted;
    /** Counts {@link #wake} calls, so a job queued just before the archive's run began stops it too. */
    private final java.util.concurrent.atomic.AtomicLong wakes = new java.util.concurrent.atomic.AtomicLong();
    private boolean ranAJob;
    private Thread thread;

    JobRunner(JobStore store, JobExecution execution) {
        this.store = store;
        this.execution = execution;
    }

    void start() {
        int failed = store.failInterrupted();
        if (failed > 0) {
            LOG.warn("{} AI job(s) were running when Arca stopped; marked failed", failed);
        }
        // A server that ran jobs before it stopped runs its idle work (class archive, spare worker) from the start.
        store.list(null, 1).stream().findFirst().ifPresent(last -> {
            ranAJob = true;
            execution.expectLike(last);
        });
        thread = Thread.ofPlatform().daemon().name("arca-ai-jobs").start(this::loop);
    }

    /** Tells the runner a job was queued, so it does not wait for its next poll (nor for the archive's making). */
    void wake() {
        wakes.incrementAndGet();
        Process w = warming;
        if (w != null) {
            stopWarming(w);
        }
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The worker process of a job that is running here, if it has one yet. */
    Optional<Process> worker(String jobId) {
        return Optional.ofNullable(running.get(jobId));
    }

    /** Kills the worker of a job that is running here, if any. */
    void kill(String jobId) {
        Process p = running.get(jobId);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void stopWarming(Process p) {
        preempted = true;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private void loop() {
        while (!stopped) {
            try {
                long seen = wakes.get();
                Optional<Job> next = store.claimNext();
                if (next.isEmpty()) {
                    if (ranAJob) {
                        // Idle time, after a first job here or in an earlier run (a server that runs no model never
                        // pays for it): the workers' class archive is made now, not while a job waits, and a spare
                        // worker started.
                        preempted = false;
                        try {
                            execution.whenIdle(p -> {
                                warming = p;
                                if (wakes.get() != seen) {
                                    stopWarming(p);
                                }
                            }, () -> preempted);
                        } finally {
                            warming = null;
                        }
                        if (preempted) {
                            continue;
                        }
                    }
                    lock.lock();
                    try {
                        // Poll too: another server on the same database may queue jobs this one is not told of.
                        work.await(2, TimeUnit.SECONDS);
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                Job job = next.get();
                try {
                    execution.run(job, p -> {
                        running.put(job.id(), p);
                        // A cancel that came while the input was prepared found no process to kill: kill it now.
                        if (store.find(job.id()).map(j -> j.status() == JobStatus.CANCELLED).orElse(true)) {
                            kill(job.id());
                        }
                    });
                } finally {
                    running.remove(job.id());
                }
                ranAJob = true;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("AI job runner error; continuing", e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        running.keySet().forEach(this::kill);
        Process w = warming;
        if (w != null) {
            w.destroyForcibly();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
