package org.arca.core.accounts;

import java.time.Instant;

/** A personal API token's public face; the secret is shown once, on creation, and stored hashed. */
public record ApiToken(String id, String userId, String name, Instant createdAt, Instant expiresAt,
                       Instant revokedAt, Instant lastUsedAt) {
}
