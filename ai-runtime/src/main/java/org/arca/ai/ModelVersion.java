package org.arca.ai;

import java.time.Instant;

/**
 * One submitted version of a model. {@code sha256} is the package's checksum; {@code approvedSha256} is the one
 * a curator approved, and the only bytes that ever run.
 */
public record ModelVersion(String name, String version, ModelStatus status, String sha256, long size,
                           ModelManifest manifest, String submittedBy, Instant submittedAt, String reviewedBy,
                           Instant reviewedAt, String approvedSha256, String reason) {
}
