package org.arca.preview;

import java.time.Duration;

/**
 * Bounds of one extraction: files larger than {@code maxFileBytes} are skipped, text beyond {@code maxChars}
 * is cut, and the worker process gets {@code heapMegabytes} of heap and {@code timeout} of wall time.
 */
public record ExtractionLimits(long maxFileBytes, int maxChars, Duration timeout, int heapMegabytes) {
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
    public static final int DEFAULT_MAX_CHARS = 100_000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_HEAP_MEGABYTES = 384;

    public ExtractionLimits {
        if (maxFileBytes < 1 || maxChars < 1 || timeout.isNegative() || timeout.isZero() || heapMegabytes < 1) {
            throw new IllegalArgumentException("extraction limits must all be above zero");
        }
    }

    public static ExtractionLimits defaults() {
        return new ExtractionLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT, DEFAULT_HEAP_MEGABYTES);
    }
}
