package org.arca.ai;

import java.nio.file.Path;

/**
 * The server's side of the limits: each model's requested heap, threads and wall time are capped by these.
 * {@code workDir} holds one temporary folder per running job (inputs, graph, outputs), deleted after it.
 */
public record AiSettings(Path workDir, int maxHeapMb, int maxThreads, int maxWallSeconds) {

    public static AiSettings defaults(Path dataDir) {
        return new AiSettings(dataDir.resolve("ai-work"), 2048, Math.max(1, Runtime.getRuntime().availableProcessors()),
                3600);
    }

    public AiSettings withMaxWallSeconds(int seconds) {
        return new AiSettings(workDir, maxHeapMb, maxThreads, seconds);
    }
}
