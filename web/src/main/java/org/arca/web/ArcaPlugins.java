package org.arca.web;

import java.util.List;
import org.arca.ai.AiPlugin;
import org.arca.core.Repository;
import org.arca.core.Schema;
import org.arca.dicomweb.DicomWebPlugin;
import org.arca.preview.DocumentPreviewPlugin;
import org.arca.preview.ExtractionLimits;
import org.arca.preview.TextExtractor;

/**
 * The plugins every Arca runs, assembled once for the product and for the web tests' server alike: the schemas
 * they need, and the listeners they put on the repository. The surfaces served here read all of their tables.
 */
public final class ArcaPlugins {

    /** Migrated after the core's, in this order: the AI runtime reads the DICOM index. */
    public static final List<Schema> SCHEMAS = List.of(DicomWebPlugin.SCHEMA, DocumentPreviewPlugin.SCHEMA, AiPlugin.SCHEMA);

    /** What {@link #installListeners} wired onto the repository. */
    public record Listeners(DicomWebPlugin dicom, TextExtractor text) {
    }

    private ArcaPlugins() {
    }

    /**
     * Registers what every surface's writes must reach (the DICOM index, text extraction) and what they add to the
     * search index, on a repository opened with {@link #SCHEMAS}: for serving and command-line maintenance alike.
     */
    public static Listeners installListeners(Repository repo, ExtractionLimits extraction) {
        return new Listeners(DicomWebPlugin.install(repo), DocumentPreviewPlugin.install(repo, extraction));
    }
}
