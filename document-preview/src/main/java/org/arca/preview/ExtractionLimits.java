package org.arca.preview;

import java.time.Duration;

/**
 * Bounds of one extraction: files larger than {@code maxFileBytes} are skipped, text beyond {@code maxChars}
 * is cut, and the worker process gets {@code heapMegabytes} of heap and {@code timeout} of wall time.
 */
public record ExtractionLimits(long maxFileBytes, int maxChars, Duration timeout, int heapMegabytes) {

    public ExtractionLimits {
        if (maxFileBytes < 1 || maxChars < 1 || timeout.isNegative() || timeout.isZero() || heapMegabytes < 1) {
            throw new IllegalArgumentException("extraction limits must all be above zero");
        }
    }

    public static ExtractionLimits defaults() {
        return new ExtractionLimits(256L << 20, 100_000, Duration.ofSeconds(60), 384);
    }
}
