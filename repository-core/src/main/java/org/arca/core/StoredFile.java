package org.arca.core;

import java.time.Instant;

/** A file of an item: a name, a size, a media type and the SHA-256 of the blob holding its bytes. */
public record StoredFile(String id, String itemId, String name, long size, String mediaType, String sha256,
                         Instant createdAt) {
}
