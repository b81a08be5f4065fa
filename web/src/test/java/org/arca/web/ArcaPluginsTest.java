package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.arca.ai.AiPlugin;
import org.arca.ai.AiSettings;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.dicomweb.DicomQueries;
import org.arca.dicomweb.DicomWebPlugin;
import org.arca.dicomweb.QueryLevel;
import org.arca.preview.DocumentPreviewPlugin;
import org.arca.preview.ExtractionLimits;
import org.junit.jupiter.api.Test;

/** The plugins' tables exist from the moment the repository opens, whatever is installed on it afterwards. */
class ArcaPluginsTest {

    @Test
    void theDicomIndexAnswersQueriesOnAMigratedRepositoryWithNothingInstalled() {
        try (TestRepository test = new TestRepository(TestDatabases.Kind.H2, c -> c.withSchemas(ArcaPlugins.SCHEMAS))) {
            Caller alice = test.user("alice");
            var matches = new DicomQueries(test.repo()).search(alice, DicomQueries.Scope.EVERYTHING, QueryLevel.STUDY,
                    Map.of(), Map.of());
            assertThat(matches.matches()).isEmpty();
        }
    }

    @Test
    void aPluginRefusesToInstallOnARepositoryOpenedWithoutItsSchema() {
        try (TestRepository test = new TestRepository(TestDatabases.Kind.H2,
                c -> c.withSchemas(List.of(DicomWebPlugin.SCHEMA)))) {
            assertThatThrownBy(() -> DocumentPreviewPlugin.install(test.repo(), ExtractionLimits.defaults()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("db/preview");
            assertThatThrownBy(() -> AiPlugin.install(test.repo(), AiSettings.defaults(test.dataDir())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("db/ai");
        }
    }
}
