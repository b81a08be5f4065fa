package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the reader: corpus files with bytes flipped, lengths rewritten,
 * runs inserted or cut. Each input must either read or end in a DicomFormatException, within a
 * bounded time. Run longer with {@code -Darca.fuzz.iterations=N -Darca.fuzz.seed=S}; inputs that
 * broke the reader once are kept under {@code src/test/resources/fuzz-seeds} and replayed here.
 */
class ReaderFuzzTest {
    private static final long SEED = Long.getLong("arca.fuzz.seed", 7L);
    private static final int ITERATIONS = Integer.getInteger("arca.fuzz.iterations", 4000);

    @Test
    void mutatedCorpusFilesReadOrFailCleanly() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (Path f : Corpus.files()) {
            if (Files.size(f) < 40_000) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        Random r = new Random(SEED);
        int failures = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            failures += readsOrFailsCleanly(input, "seed " + SEED + " iteration " + i) ? 0 : 1;
        }
        assertThat(failures).isLessThan(ITERATIONS);
    }

    @Test
    void keptSeedsReadOrFailCleanly() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz-seeds");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                readsOrFailsCleanly(Files.readAllBytes(f), f.toString());
            }
        }
    }

    /** True when the input was read; false when it failed with the typed exception. */
    static boolean readsOrFailsCleanly(byte[] input, String what) {
        long start = System.nanoTime();
        try {
            DicomFile f = DicomReader.read(input, DicomReader.Options.DEFAULT);
            DicomJson.toJson(f.dataset(), DicomJson.Options.INLINE);
            DicomReader.read(new ByteArrayInputStream(input), DicomReader.Options.DEFAULT.withStopAfter(Tag.PatientName));
            return true;
        } catch (DicomFormatException e) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        } finally {
            assertThat(System.nanoTime() - start).as(what + " took too long").isLessThan(2_000_000_000L);
        }
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 8; e++) {
            int at = r.nextInt(b.length - 4);
            switch (r.nextInt(6)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> { // a length-looking run of 0xFF or a large number
                    b[at] = (byte) 0xFF;
                    b[at + 1] = (byte) 0xFF;
                    b[at + 2] = (byte) r.nextInt(256);
                    b[at + 3] = (byte) (r.nextBoolean() ? 0xFF : 0x7F);
                }
                case 2 -> b = java.util.Arrays.copyOf(b, at + 1); // truncate
                case 3 -> { // cut a run
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 4 -> { // duplicate a run
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> { // item and delimiter tags in odd places
                    byte[] t = {(byte) 0xFE, (byte) 0xFF, (byte) (r.nextBoolean() ? 0x00 : 0xDD), (byte) 0xE0};
                    System.arraycopy(t, 0, b, at, 4);
                }
            }
        }
        return b;
    }
}
