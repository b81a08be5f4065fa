package org.arca.dicom.image;

import static org.arca.dicom.image.JpegTestImages.dcmtk;
import static org.arca.dicom.image.JpegTestImages.dcmtkDecode;
import static org.arca.dicom.image.JpegTestImages.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arca.dicom.DicomReader;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.image.jpeg.DctJpegDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arca's sequential DCT JPEG decoder against DCMTK's dcmdjpeg (IJG libjpeg 6b inside, with its default integer
 * IDCT and "fancy" upsampling) on random images: encoded by DCMTK's dcmcjpeg (baseline and extended, 8 and 12
 * bits, qualities 1 to 100, 4:4:4, 4:2:2 and 4:2:0 chroma, YCbCr or RGB), by the JDK's writer (restart intervals,
 * other sampling factors) and by {@link TestJpegEncoder} (12-bit with restart intervals, sampling factors up to
 * 4, one scan per component). Skipped, saying so, where DCMTK is not installed.
 *
 * <p>The bounds asserted, and why:
 * <ul>
 *   <li>Components as decoded (before any colour transform) differ from DCMTK's by at most 1. Arca's IDCT is the
 *       exact one, rounded; libjpeg's is an approximation that IEEE 1180 (the accuracy T.81 A.3.3 leaves to the
 *       implementation, and ISO/IEC 10918-2 tests decoders against) keeps within 1 of exact for every sample.
 *       Upsampling blends neighbours with weights that sum to one and rounds, so a difference of at most 1 in its
 *       inputs stays at most 1. Over all samples the mean difference is also asserted to stay far below 1, which a
 *       systematic offset, however small, would break.</li>
 *   <li>After YCbCr to RGB, at most 3: R = Y + 1.402 Cr' (and G, B alike) turns differences of 1 in Y and Cr
 *       into up to 1 + 1.402 = 2.4 before rounding, 1 + 1.772 = 2.8 for B.</li>
 * </ul>
 */
class DctJpegOracleTest {
    private static final long SEED = Long.getLong("arca.jpeg.seed", 11L);
    private static final int CASES = Integer.getInteger("arca.jpeg.cases", 30);
    private static final int COMPONENT_BOUND = 1;
    private static final int RGB_BOUND = 3;

    @TempDir
    Path dir;
    private long differenceSum;
    private long samplesCompared;

    @BeforeAll
    static void needsDcmtk() {
        assumeTrue(JpegTestImages.dcmtkAvailable(),
                "dcmcjpeg/dcmdjpeg (Debian package dcmtk) are not installed: JPEG oracle tests skipped");
    }

    @Test
    void randomImagesThatDcmcjpegEncodesDecodeAsDcmdjpegDecodesThem() throws Exception {
        Random r = new Random(SEED);
        String[] subsampling = {"+s2", "+s4", "+n2", "+n1", "+np"};
        for (int i = 0; i < CASES; i++) {
            int bits = r.nextBoolean() ? 12 : 8;
            int spp = r.nextInt(3) == 0 ? 3 : 1;
            JpegTestImages.Image image = JpegTestImages.random(r, size(r), size(r), spp, bits);
            Path plain = JpegTestImages.writeNative(image, dir.resolve("native" + i + ".dcm"));
            List<String> command = new ArrayList<>(List.of("dcmcjpeg", bits == 8 && r.nextBoolean() ? "+eb" : "+ee",
                    "+q", Integer.toString(1 + r.nextInt(100))));
            if (spp == 3) {
                command.add(subsampling[r.nextInt(subsampling.length)]);
                command.add(r.nextInt(4) == 0 ? "+cr" : "+cy");
            }
            if (bits == 8 && r.nextBoolean()) {
                command.add("-ho");
            }
            Path jpeg = dir.resolve("jpeg" + i + ".dcm");
            command.add(plain.toString());
            command.add(jpeg.toString());
            dcmtk(command.toArray(String[]::new));
            compareWithDcmtk(jpeg, "case " + i + " (seed " + SEED + "): " + String.join(" ", command.subList(0,
                    command.size() - 2)) + " on " + image.rows() + " x " + image.columns() + " x " + spp + ", "
                    + bits + " bits");
        }
        assertMeanDifferenceSmall();
    }

    @Test
    void jdkStreamsWithRestartIntervalsAndOtherSamplingDecodeAsDcmdjpegDecodesThem() throws Exception {
        Random r = new Random(SEED + 1);
        int[][][] colourSampling = {{{1, 1}, {1, 1}, {1, 1}}, {{2, 1}, {1, 1}, {1, 1}}, {{2, 2}, {1, 1}, {1, 1}},
                {{1, 2}, {1, 1}, {1, 1}}, {{4, 1}, {1, 1}, {1, 1}}, {{2, 2}, {2, 1}, {1, 1}}, {{1, 1}, {2, 2}, {1, 1}}};
        for (int i = 0; i < CASES; i++) {
            int spp = r.nextBoolean() ? 3 : 1;
            JpegTestImages.Image image = JpegTestImages.random(r, size(r), size(r), spp, 8);
            boolean ycbcr = r.nextBoolean();
            int[][] sampling = spp == 3 ? colourSampling[r.nextInt(colourSampling.length)] : new int[][] {{1, 1}};
            int restart = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(5);
            byte[] stream = JpegTestImages.jdkJpeg(image, ycbcr, sampling, restart, 0.05f + r.nextFloat() * 0.95f);
            // The retired YBR_PARTIAL_422 is converted as YBR_FULL_422 is, by dcmdjpeg as by Arca.
            String photometric = spp == 1 ? "MONOCHROME2" : !ycbcr ? "RGB"
                    : r.nextInt(4) == 0 ? "YBR_PARTIAL_422" : "YBR_FULL_422";
            Path jpeg = dir.resolve("jdk" + i + ".dcm");
            DicomWriter.write(jpeg, JpegTestImages.encapsulated(image, photometric, stream), TransferSyntax.JPEG_BASELINE);
            compareWithDcmtk(jpeg, "case " + i + " (seed " + (SEED + 1) + "): " + image.rows() + " x "
                    + image.columns() + " " + photometric + " sampling " + java.util.Arrays.deepToString(sampling)
                    + " restart interval " + restart);
        }
        assertMeanDifferenceSmall();
    }

    @Test
    void twelveBitStreamsWithRestartsSeparateScansAndLargeSamplingDecodeAsDcmdjpegDecodesThem() throws Exception {
        Random r = new Random(SEED + 2);
        int[][][] colourSampling = {{{1, 1}, {1, 1}, {1, 1}}, {{2, 2}, {1, 1}, {1, 1}}, {{1, 4}, {1, 1}, {1, 1}},
                {{3, 1}, {1, 1}, {1, 1}}, {{2, 2}, {2, 1}, {1, 1}}, {{4, 2}, {2, 1}, {1, 1}}, {{1, 1}, {2, 2}, {1, 1}}};
        for (int i = 0; i < CASES; i++) {
            int bits = r.nextInt(3) == 0 ? 8 : 12;
            int spp = r.nextBoolean() ? 3 : 1;
            JpegTestImages.Image image = JpegTestImages.random(r, size(r), size(r), spp, bits);
            int[][] sampling = spp == 3 ? colourSampling[r.nextInt(colourSampling.length)]
                    : new int[][] {{1 + r.nextInt(2), 1 + r.nextInt(2)}};
            int blocks = 0;
            int[][] quant = new int[spp][];
            for (int c = 0; c < spp; c++) {
                blocks += sampling[c][0] * sampling[c][1];
                quant[c] = TestJpegEncoder.randomQuant(r, bits);
            }
            // T.81 B.2.3: an interleaved MCU holds at most 10 blocks.
            boolean interleaved = blocks <= 10 && r.nextInt(3) > 0;
            int restart = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(6);
            byte[] stream = new TestJpegEncoder(bits, image.columns(), image.rows(), sampling, quant, restart,
                    interleaved).encode(image.samples());
            String photometric = spp == 1 ? "MONOCHROME2" : r.nextBoolean() ? "YBR_FULL" : "RGB";
            Path jpeg = dir.resolve("ours" + i + ".dcm");
            DicomWriter.write(jpeg, JpegTestImages.encapsulated(image, photometric, stream), TransferSyntax.JPEG_EXTENDED);
            compareWithDcmtk(jpeg, "case " + i + " (seed " + (SEED + 2) + "): " + image.rows() + " x "
                    + image.columns() + ", " + bits + " bits, " + photometric + " sampling "
                    + java.util.Arrays.deepToString(sampling) + (interleaved ? " interleaved" : " one scan each")
                    + ", restart interval " + restart);
        }
        assertMeanDifferenceSmall();
    }

    /** Mostly small images (edge cases of partial MCUs), some larger. */
    private static int size(Random r) {
        return 1 + r.nextInt(r.nextInt(3) == 0 ? 150 : 24);
    }

    /**
     * Decodes {@code jpeg} with Arca and with DCMTK twice: as the DICOM attributes say (colour converted for YBR),
     * and with no colour conversion (the decoder's own output).
     */
    private void compareWithDcmtk(Path jpeg, String what) throws IOException, InterruptedException {
        String name = jpeg.getFileName().toString();
        DecodedFrame theirs = dcmtkDecode(jpeg, dir.resolve("dcmtk-" + name));
        DecodedFrame ours;
        try {
            ours = Frames.of(DicomReader.read(jpeg)).decode(0);
        } catch (IOException e) {
            throw new AssertionError(what + ": DCMTK decodes it, Arca does not", e);
        }
        assertThat(ours.description().photometric()).as(what).isEqualTo(theirs.description().photometric());
        boolean converted = !ours.description().photometric().equals(
                DicomReader.read(jpeg).dataset().getString(org.arca.dicom.Tag.PhotometricInterpretation, ""));
        assertThat(maxDifference(ours.samples(), theirs.samples())).as(what)
                .isLessThanOrEqualTo(converted ? RGB_BOUND : COMPONENT_BOUND);

        DecodedFrame theirsAsStored = dcmtkDecode(jpeg, dir.resolve("dcmtk-cn-" + name), "+cn");
        int[] oursAsStored = DctJpegDecoder.decode(JpegTestImages.firstFrame(jpeg), header -> { }).samples();
        assertThat(maxDifference(oursAsStored, theirsAsStored.samples())).as(what + ", no colour conversion")
                .isLessThanOrEqualTo(COMPONENT_BOUND);
        for (int i = 0; i < oursAsStored.length; i++) {
            differenceSum += Math.abs(oursAsStored[i] - theirsAsStored.samples()[i]);
        }
        samplesCompared += oursAsStored.length;
    }

    private void assertMeanDifferenceSmall() {
        assertThat((double) differenceSum / samplesCompared).as("mean difference over " + samplesCompared + " samples")
                .isLessThan(0.05);
    }
}
