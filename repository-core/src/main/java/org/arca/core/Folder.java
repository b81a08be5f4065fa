package org.arca.core;

import java.time.Instant;
import java.util.Optional;
import org.arca.core.access.AccessLevel;

/**
 * A folder, or a collection when it has no parent. {@code access} is the caller's effective level,
 * filled in by the service that returned it.
 */
public record Folder(String id, String parentId, String collectionId, String name, String description,
                     String createdBy, Instant createdAt, Instant updatedAt, AccessLevel access) {

    public boolean isCollection() {
        return parentId == null;
    }

    public Optional<String> parent() {
        return Optional.ofNullable(parentId);
    }
}
