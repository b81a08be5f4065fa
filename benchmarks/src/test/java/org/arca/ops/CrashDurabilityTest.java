package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.arca.core.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Arca acknowledged survives SIGKILL: a real {@code arca serve} process takes concurrent REST, tus, STOW-RS
 * and SFTP uploads, is killed at a random moment, restarted, and checked, twice over the same data.
 */
class CrashDurabilityTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Kind> kinds() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyAcknowledgedUploadSurvivesAKill(TestDatabases.Kind kind) throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        List<CrashRounds.Round> rounds = new CrashRounds(dir.resolve("data"), TestDatabases.urlFor(kind),
                new PrintStream(report, true, StandardCharsets.UTF_8)).run(2, 20261207L + kind.ordinal(), 4000);
        String printed = report.toString(StandardCharsets.UTF_8);
        if (rounds.stream().anyMatch(round -> !round.problems().isEmpty())) {
            keepEvidence(kind);
        }
        assertThat(rounds).as(printed).allSatisfy(round -> {
            assertThat(round.problems()).isEmpty();
            // Every surface got at least one upload acknowledged before the kill, or the round proved nothing.
            assertThat(round.acknowledgedAndPresent().keySet()).containsExactlyInAnyOrder("rest", "tus", "stow", "sftp");
        });
    }

    /**
     * A failed round's data folder and server logs, copied to target/ before the temporary folder goes: the database
     * as the crash left it is what tells a bug of Arca's from one of the database's.
     */
    private void keepEvidence(TestDatabases.Kind kind) throws java.io.IOException {
        Path evidence = Path.of("target", "crash-evidence-" + kind + "-" + System.currentTimeMillis());
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path source : files.toList()) {
                Path target = evidence.resolve(dir.relativize(source).toString());
                if (java.nio.file.Files.isDirectory(source)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(source, target);
                }
            }
        }
        System.err.println("crash test evidence kept in " + evidence.toAbsolutePath());
    }
}
