package org.arca.preview;

import org.arca.core.Repository;
import org.arca.core.Schema;

/**
 * The document plugin installed on a repository: text extraction of every file any surface stores, feeding the
 * search index. Its tables (extracted text, unpack jobs) are {@link #SCHEMA}, migrated when the repository opens.
 */
public final class DocumentPreviewPlugin {
    public static final Schema SCHEMA = new Schema("classpath:db/preview", "flyway_history_preview");

    private DocumentPreviewPlugin() {
    }

    /**
     * Registers the text extractor as a listener and search contributor, and has the repository close it before
     * itself; the repository must have been opened with {@link #SCHEMA}. Its jobs' temporary folders are under
     * the data folder's {@code work/extraction}.
     */
    public static TextExtractor install(Repository repo, ExtractionLimits limits) {
        repo.requireSchema(SCHEMA);
        TextExtractor text = new TextExtractor(repo.database(), repo.bytes(), repo.searchIndex(), limits,
                repo.config().dataDir().resolve("work").resolve("extraction"), repo.sandbox());
        repo.closeWith(text);
        repo.items().addListener(text);
        repo.searchIndex().addContributor(text);
        return text;
    }
}
