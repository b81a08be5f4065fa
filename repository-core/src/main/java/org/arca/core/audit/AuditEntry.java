package org.arca.core.audit;

import java.time.Instant;

/** One link of the audit chain. */
public record AuditEntry(long seq, Instant at, String actor, String action, String resourceType, String resourceId,
                         String detail, String prevHash, String hash) {
}
