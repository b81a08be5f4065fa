package org.arca.ai;

import org.arca.core.Repository;
import org.arca.core.Schema;

/**
 * The AI plugin installed on a repository: the model registry and jobs, run in worker processes. Its tables are
 * {@link #SCHEMA}; it reads inputs through the DICOM index, so the repository is opened with
 * {@link org.arca.dicomweb.DicomWebPlugin#SCHEMA} too, migrated before this one.
 */
public final class AiPlugin {
    public static final Schema SCHEMA = new Schema("classpath:db/ai", "flyway_history_ai");

    private AiPlugin() {
    }

    /** The runtime, started: what a stopped process left is cleared and queued jobs run. Close it at shutdown. */
    public static AiRuntime install(Repository repo, AiSettings settings) {
        return new AiRuntime(repo, settings).start();
    }
}
