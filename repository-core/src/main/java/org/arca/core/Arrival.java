package org.arca.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;

/**
 * An upload as the ingest steps see it, whatever surface it came from (REST, tus, multipart, SFTP, STOW-RS, ZIP
 * unpack, AI results): who sends it, the folder and name it is to be stored under, its media type, its bytes
 * (already durable in the blob store, not yet named by any row) and what earlier steps learnt of them. The steps
 * read the bytes here: no item holds them yet, so no caller's read of an item could reach them. Immutable.
 */
public final class Arrival {
    private final Caller caller;
    private final String folderId;
    private final String name;
    private final String mediaType;
    private final BlobStore.Blob blob;
    private final Facts facts;
    private final BlobStore blobs;

    Arrival(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, Facts facts,
            BlobStore blobs) {
        this.caller = caller;
        this.folderId = folderId;
        this.name = name;
        this.mediaType = mediaType;
        this.blob = blob;
        this.facts = facts;
        this.blobs = blobs;
    }

    public Caller caller() {
        return caller;
    }

    public String folderId() {
        return folderId;
    }

    public String name() {
        return name;
    }

    public String mediaType() {
        return mediaType;
    }

    public BlobStore.Blob blob() {
        return blob;
    }

    public Facts facts() {
        return facts;
    }

    /** The bytes as a local file, for readers that need one (the DICOM reader, Tika). */
    public Path path() {
        return blobs.path(blob.sha256());
    }

    public InputStream open() throws IOException {
        return blobs.open(blob.sha256());
    }

    /** This arrival with more facts learnt of the same bytes. */
    Arrival learnt(Facts more) {
        return new Arrival(caller, folderId, name, mediaType, blob, facts.and(more), blobs);
    }

    /** This arrival with other bytes in its place: what was learnt of the old ones no longer holds. */
    Arrival rewritten(BlobStore.Blob newBlob, String newMediaType, Facts newFacts) {
        return new Arrival(caller, folderId, name, newMediaType == null ? mediaType : newMediaType, newBlob, newFacts, blobs);
    }
}
