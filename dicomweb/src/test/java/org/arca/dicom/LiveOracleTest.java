package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When DCMTK is installed (Debian package {@code dcmtk}, which {@code .ci/run} installs), runs
 * {@code dcm2json} again on every corpus file that has a committed expectation and checks the
 * live output equals it, so the committed oracle cannot drift from the real one.
 */
class LiveOracleTest {

    static boolean dcm2jsonAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "dcm2json"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void committedDcm2jsonOutputMatchesTheLiveTool() throws Exception {
        assumeTrue(dcm2jsonAvailable(), "dcm2json (Debian package dcmtk) is not installed: live oracle check skipped");
        int checked = 0;
        for (Path f : Corpus.files()) {
            Path expected = Corpus.sibling(f, ".json");
            String name = f.getFileName().toString();
            if (!Files.exists(expected) || name.contains("_rle") || name.contains("_jpeg")) {
                continue; // compressed files need dcmodify first; their expectation is covered by the script
            }
            Path out = Files.createTempFile("dcm2json", ".json");
            try {
                Process p = new ProcessBuilder("dcm2json", "-q", f.toString(), out.toString())
                        .redirectErrorStream(true).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(name).isZero();
                assertThat(Corpus.normalise(Corpus.MAPPER.readTree(out.toFile())))
                        .as(name).isEqualTo(Corpus.normalise(Corpus.MAPPER.readTree(expected.toFile())));
                checked++;
            } finally {
                Files.deleteIfExists(out);
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
