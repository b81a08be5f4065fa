package org.arca.ai;

import java.util.List;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.dicomweb.DicomWebPlugin;

/** Test repositories with the schemas the AI runtime reads: the DICOM index's, then its own. */
final class AiTestRepositories {
    private AiTestRepositories() {
    }

    static TestRepository open(TestDatabases.Kind kind) {
        return new TestRepository(kind, config -> config.withSchemas(List.of(DicomWebPlugin.SCHEMA, AiPlugin.SCHEMA)));
    }
}
