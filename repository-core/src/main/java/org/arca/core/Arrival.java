package org.arca.core;

/**
 * An upload as the ingest steps see it, whatever surface it came from (REST, tus, multipart, SFTP, STOW-RS, ZIP
 * unpack, AI results): who sends it, the folder and name it is to be stored under, its media type, its bytes
 * (already durable in the blob store, not yet named by any row) and what earlier steps learnt of them.
 */
public record Arrival(Caller caller, String folderId, String name, String mediaType, BlobStore.Blob blob, Facts facts) {

    /** This arrival with more facts learnt of the same bytes. */
    public Arrival learnt(Facts more) {
        return new Arrival(caller, folderId, name, mediaType, blob, facts.and(more));
    }

    /** This arrival with other bytes in its place: what was learnt of the old ones no longer holds. */
    public Arrival rewritten(BlobStore.Blob newBlob, String newMediaType, Facts newFacts) {
        return new Arrival(caller, folderId, name, newMediaType == null ? mediaType : newMediaType, newBlob, newFacts);
    }
}
