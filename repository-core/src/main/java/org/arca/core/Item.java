package org.arca.core;

import java.time.Instant;
import java.util.List;
import org.arca.core.access.AccessLevel;

/** One logical object in a folder (a document, a fileset, a DICOM instance) with its files. */
public record Item(String id, String folderId, String name, String description, String createdBy,
                   Instant createdAt, Instant updatedAt, List<StoredFile> files, AccessLevel access) {

    public Item {
        files = List.copyOf(files);
    }

    public long size() {
        return files.stream().mapToLong(StoredFile::size).sum();
    }

    /** The item's only or first file; items made by an upload have exactly one. */
    public StoredFile primaryFile() {
        if (files.isEmpty()) {
            throw ArcaException.notFound("The item's file");
        }
        return files.get(0);
    }
}
