package org.arca.core.accounts;

import java.time.Instant;

/** An imaging centre. People register against its registration code and wait for approval. */
public record Site(String id, String name, String registrationCode, Instant createdAt) {
}
