package org.arca.preview;

import java.time.Duration;

/**
 * Bounds of one extraction: files larger than {@code maxFileBytes} are skipped, text beyond {@code maxChars}
 * is cut, and the worker process gets {@code heapMegabytes} of heap and {@code timeout} of wall time.
 */
public record ExtractionLimits(long maxFileBytes, int maxChars, Duration timeout, int heapMegabytes) {

    public static ExtractionLimits defaults() {
        return new ExtractionLimits(256L << 20, 100_000, Duration.ofSeconds(60), 384);
    }
}
