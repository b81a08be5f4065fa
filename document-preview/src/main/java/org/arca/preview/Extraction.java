package org.arca.preview;

/**
 * Where text extraction of one file's bytes stands: {@code pending} (queued; retried after a restart),
 * {@code done}, {@code failed} with a reason, or {@code skipped} with a reason (too large, not a document).
 */
public record Extraction(String state, String reason, String mediaType, int characters) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";
}
