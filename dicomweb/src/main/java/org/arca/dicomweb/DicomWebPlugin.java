package org.arca.dicomweb;

import org.arca.core.Repository;
import org.arca.core.Schema;

/**
 * The DICOM plugin installed on a repository: the index of every DICOM file any surface stores, and the queries
 * QIDO-RS, WADO-RS and the AI runtime answer from it. Its tables are {@link #SCHEMA}, migrated when the
 * repository opens. Made by {@link #install}.
 */
public record DicomWebPlugin(DicomIndexer indexer, DicomQueries queries) {
    public static final Schema SCHEMA = new Schema("classpath:db/dicom", "flyway_history_dicom");

    /** Registers the DICOM ingest step, the index's and the metadata cache's listeners and the search fields; the repository must have been opened with {@link #SCHEMA}. */
    public static DicomWebPlugin install(Repository repo) {
        repo.requireSchema(SCHEMA);
        DicomIndexer indexer = new DicomIndexer(repo.database(), repo.bytes());
        // The header is read once, on the way in: later steps (de-identification) and the index share it.
        repo.ingest().addStep("dicom-header", indexer.headerStep());
        repo.items().addListener(indexer);
        // Each instance's WADO-RS metadata is made as it arrives, so a viewer's first look at a series is not a parse
        // of every instance in it.
        MetadataWarmer metadata = new MetadataWarmer(repo.bytes(), MetadataCache.in(repo.blobs(), repo.config().dataDir()));
        repo.items().addListener(metadata);
        repo.closeWith(metadata);
        repo.searchIndex().addContributor(new DicomSearchFields(repo.database()));
        return new DicomWebPlugin(indexer, new DicomQueries(repo));
    }
}
