package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A setting left alone means the same in every place that reads it: the builder, the config file, the README. */
class ConfigDefaultsTest {

    @Test
    void aBuilderConfiguredWithEveryDefaultEqualsOneLeftAlone() {
        Arca.Builder configured = Arca.builder().configure(ArcaConfig.load(null, Map.of()));
        // The viewer folder follows the data folder unless set, so configure pins what the untouched builder derives.
        assertThat(configured).usingRecursiveComparison().ignoringFields("viewerDir", "generatedPasswordShown")
                .isEqualTo(Arca.builder());
    }

    @Test
    void theReadmeTableShowsEveryDefault() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream().filter(l -> l.startsWith("| `")).toList();
        for (ArcaConfig.Key key : ArcaConfig.Key.values()) {
            String prefix = "| `" + key.fileName() + "` | `" + key.envName() + "` | ";
            String row = rows.stream().filter(r -> r.startsWith(prefix)).findFirst().orElseThrow(
                    () -> new AssertionError("the README's configuration table has no row for " + key.fileName()));
            // Empty defaults, and the machine's processor count, are described in words instead.
            if (!key.fallback().isEmpty() && key != ArcaConfig.Key.AI_MAX_THREADS) {
                assertThat(row.substring(prefix.length())).as(key.fileName()).startsWith("`" + key.fallback() + "`");
            }
        }
    }
}
