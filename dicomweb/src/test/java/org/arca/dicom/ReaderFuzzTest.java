package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ReaderFuzzer} over the corpus: a short seeded run in every build, the kept seeds of
 * {@code src/test/resources/fuzz-seeds} (inputs that once broke the reader, and a sample of the
 * most varied ones a long run produced), and the long run itself when
 * {@code -Darca.fuzz.seconds=N} is given. The long run writes what it found to
 * {@code target/fuzz-findings} and one input per outcome shape to {@code target/fuzz-outcomes}.
 */
class ReaderFuzzTest {
    private static final long SEED = Long.getLong("arca.fuzz.seed", 7L);
    private static final int ITERATIONS = Integer.getInteger("arca.fuzz.iterations", 4000);
    private static final Path KEPT = Path.of("src/test/resources/fuzz-seeds");
    /** Generous: the build machine has two cores shared with other work. */
    private static final long TIME_LIMIT_MS = 2000;

    @TempDir
    Path scratch;

    @Test
    void mutatedCorpusFilesReadOrFailCleanly() throws IOException {
        ReaderFuzzer fuzzer = new ReaderFuzzer(ReaderFuzzer.corpusSeeds(), SEED, TIME_LIMIT_MS, scratch);
        fuzzer.run(ITERATIONS, Long.MAX_VALUE);
        assertThat(fuzzer.findings()).as(describe(fuzzer.findings())).isEmpty();
        assertThat(fuzzer.tried()).isEqualTo(ITERATIONS);
    }

    @Test
    void keptSeedsReadOrFailCleanly() throws IOException {
        List<Path> kept;
        try (var files = Files.list(KEPT)) {
            kept = files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        assertThat(kept).isNotEmpty();
        ReaderFuzzer fuzzer = new ReaderFuzzer(List.of(), SEED, TIME_LIMIT_MS, scratch);
        for (Path f : kept) {
            fuzzer.tryInput(Files.readAllBytes(f));
        }
        assertThat(fuzzer.findings()).as(describe(fuzzer.findings())).isEmpty();
    }

    @Test
    void damagedTransferSyntaxUidFromTheLongRunIsRefused() throws IOException {
        byte[] input = Files.readAllBytes(KEPT.resolve("ts-uid-not-a-uid.dcm"));
        assertThatThrownBy(() -> DicomReader.read(input, DicomReader.Options.DEFAULT))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("invalid transfer syntax");
    }

    /** The long run: {@code -Darca.fuzz.seconds=600}; see the module README. */
    @Test
    @EnabledIfSystemProperty(named = "arca.fuzz.seconds", matches = "\\d+")
    void longRun() throws IOException {
        long seconds = Long.getLong("arca.fuzz.seconds");
        ReaderFuzzer fuzzer = new ReaderFuzzer(ReaderFuzzer.corpusSeeds(), SEED, TIME_LIMIT_MS, scratch);
        long start = System.nanoTime();
        fuzzer.run(Long.MAX_VALUE, seconds);
        double took = (System.nanoTime() - start) / 1e9;
        Path findings = Files.createDirectories(Path.of("target/fuzz-findings"));
        int n = 0;
        for (ReaderFuzzer.Finding f : fuzzer.findings()) {
            Files.write(findings.resolve("finding-" + n + ".dcm"), f.input());
            Files.writeString(findings.resolve("finding-" + n++ + ".txt"), f.problem());
        }
        Path outcomes = Files.createDirectories(Path.of("target/fuzz-outcomes"));
        StringBuilder index = new StringBuilder();
        for (Map.Entry<String, byte[]> e : fuzzer.outcomes().entrySet()) {
            String name = HexFormat.of().toHexDigits(e.getKey().hashCode()) + ".dcm";
            Files.write(outcomes.resolve(name), e.getValue());
            index.append(name).append('\t').append(e.getValue().length).append('\t').append(e.getKey()).append('\n');
        }
        Files.writeString(outcomes.resolve("index.tsv"), index);
        System.out.printf("reader fuzz: seed %d, %.0f s, %d inputs (%.0f/s), %d outcome shapes, %d findings%n",
                SEED, took, fuzzer.tried(), fuzzer.tried() / took, fuzzer.outcomes().size(), fuzzer.findings().size());
        assertThat(fuzzer.findings()).as(describe(fuzzer.findings())).isEmpty();
    }

    private static String describe(List<ReaderFuzzer.Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (ReaderFuzzer.Finding f : findings.subList(0, Math.min(5, findings.size()))) {
            b.append(f.input().length).append(" bytes: ").append(f.problem()).append('\n');
        }
        return b.toString();
    }
}
