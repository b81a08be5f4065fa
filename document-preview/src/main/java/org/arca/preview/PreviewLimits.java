package org.arca.preview;

import java.time.Duration;

/**
 * Bounds of previews: each worker process (and each LibreOffice conversion) gets {@code timeout} of wall time,
 * a worker {@code heapMegabytes} of heap, and the cache of made previews is kept under {@code cacheBytes}
 * (least recently used go first).
 */
public record PreviewLimits(Duration timeout, int heapMegabytes, long cacheBytes) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_HEAP_MEGABYTES = 512;
    public static final long DEFAULT_CACHE_BYTES = 1L << 30;

    public PreviewLimits {
        if (timeout.isNegative() || timeout.isZero() || heapMegabytes < 64 || cacheBytes < (1L << 20)) {
            throw new IllegalArgumentException("preview limits must allow some time, at least 64 MB of heap and 1 MB of cache");
        }
    }

    public static PreviewLimits defaults() {
        return new PreviewLimits(DEFAULT_TIMEOUT, DEFAULT_HEAP_MEGABYTES, DEFAULT_CACHE_BYTES);
    }
}
