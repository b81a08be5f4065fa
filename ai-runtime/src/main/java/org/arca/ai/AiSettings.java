package org.arca.ai;

import java.nio.file.Path;

/**
 * The server's side of the limits: each model's requested heap, threads, wall time and memory are capped by these.
 * {@code workDir} holds one temporary folder per running job (inputs, graph, outputs), deleted after it.
 * {@code spareWorker}: whether a worker is started ahead, in idle time, for the next job ({@link SpareWorker}).
 */
public record AiSettings(Path workDir, int maxHeapMb, int maxThreads, int maxWallSeconds, int maxMemoryMb,
                         boolean spareWorker) {

    /** With a spare worker ({@link SpareWorker}): started in idle time after a first job, for the next. */
    public AiSettings(Path workDir, int maxHeapMb, int maxThreads, int maxWallSeconds, int maxMemoryMb) {
        this(workDir, maxHeapMb, maxThreads, maxWallSeconds, maxMemoryMb, DEFAULT_SPARE_WORKER);
    }

    /** The server's default cap on a worker's heap, in MB. */
    public static final int DEFAULT_MAX_HEAP_MB = 2048;
    /** The server's default cap on a worker's threads: every processor of this machine. */
    public static final int DEFAULT_MAX_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** The server's default cap on a worker's wall time, in seconds. */
    public static final int DEFAULT_MAX_WALL_SECONDS = 3600;
    /** The server's default cap on a worker's private memory (heap and native), in MB. */
    public static final int DEFAULT_MAX_MEMORY_MB = 8192;
    public static final boolean DEFAULT_SPARE_WORKER = true;

    /** The defaults, with jobs' work folders under the data folder's {@code ai-work}. */
    public static AiSettings defaults(Path dataDir) {
        return new AiSettings(dataDir.resolve("ai-work"), DEFAULT_MAX_HEAP_MB, DEFAULT_MAX_THREADS, DEFAULT_MAX_WALL_SECONDS,
                DEFAULT_MAX_MEMORY_MB, DEFAULT_SPARE_WORKER);
    }

    public AiSettings withMaxWallSeconds(int seconds) {
        return new AiSettings(workDir, maxHeapMb, maxThreads, seconds, maxMemoryMb, spareWorker);
    }
}
