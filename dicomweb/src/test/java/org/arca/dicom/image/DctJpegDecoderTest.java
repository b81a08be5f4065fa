package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.image.jpeg.DctJpegDecoder;
import org.arca.dicom.image.jpeg.DecodedJpeg;
import org.arca.dicom.image.jpeg.FrameHeader;
import org.arca.dicom.image.jpeg.JpegFormatException;
import org.junit.jupiter.api.Test;

/**
 * The sequential DCT decoder without DCMTK: near-lossless streams decode to their source, and damaged, truncated
 * or unsupported streams end in {@link JpegFormatException} (through {@link Frames}, in the
 * {@link DicomFormatException} the web answers 422 for), never in another exception. DCMTK comparisons are in
 * {@link DctJpegOracleTest}.
 */
class DctJpegDecoderTest {
    private static final long SEED = Long.getLong("arca.jpeg.seed", 11L);
    /** What the tests let a stream claim, as Frames lets Rows x Columns; a damaged header could claim 65535². */
    private static final DctJpegDecoder.HeaderCheck SMALL = header -> {
        if ((long) header.width() * header.height() > 1 << 16) {
            throw new JpegFormatException("test limit", 0);
        }
    };

    /** Random streams: 8 and 12 bits, grey and colour, sampling, restart intervals, separate scans. */
    private static List<TestStream> streams(Random r, int count, boolean fineQuantisation) {
        int[][][] samplings = {{{1, 1}}, {{2, 2}}, {{1, 1}, {1, 1}, {1, 1}}, {{2, 1}, {1, 1}, {1, 1}},
                {{2, 2}, {1, 1}, {1, 1}}, {{1, 2}, {1, 1}, {1, 1}}, {{3, 1}, {1, 1}, {1, 1}}};
        List<TestStream> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int bits = r.nextBoolean() ? 12 : 8;
            int[][] sampling = samplings[r.nextInt(samplings.length)];
            if (fineQuantisation) {
                sampling = sampling.length == 1 ? new int[][] {{1, 1}} : new int[][] {{1, 1}, {1, 1}, {1, 1}};
            }
            int n = sampling.length;
            JpegTestImages.Image image = JpegTestImages.random(r, 1 + r.nextInt(40), 1 + r.nextInt(40), n, bits);
            int[][] quant = new int[n][];
            for (int c = 0; c < n; c++) {
                quant[c] = fineQuantisation ? ones() : TestJpegEncoder.randomQuant(r, bits);
            }
            int restart = r.nextBoolean() ? 0 : 1 + r.nextInt(4);
            byte[] stream = new TestJpegEncoder(bits, image.columns(), image.rows(), sampling, quant, restart,
                    r.nextBoolean()).encode(image.samples());
            out.add(new TestStream(image, stream, "stream " + i + " (seed " + SEED + "): " + image.rows() + " x "
                    + image.columns() + ", " + bits + " bits, sampling " + Arrays.deepToString(sampling)
                    + ", restart interval " + restart));
        }
        return out;
    }

    private record TestStream(JpegTestImages.Image image, byte[] stream, String what) {
    }

    private static int[] ones() {
        int[] q = new int[64];
        Arrays.fill(q, 1);
        return q;
    }

    @Test
    void streamsQuantisedByOneDecodeToTheirSource() throws IOException {
        // With every quantisation step 1 the only loss is rounding each coefficient (at most 1/2), which moves a
        // sample by well under 2; a decoder that misplaced a block, a coefficient or a restart would be far off.
        for (TestStream s : streams(new Random(SEED), 40, true)) {
            DecodedJpeg decoded = DctJpegDecoder.decode(s.stream(), SMALL);
            assertThat(decoded.header().width()).isEqualTo(s.image().columns());
            assertThat(decoded.header().height()).isEqualTo(s.image().rows());
            assertThat(JpegTestImages.maxDifference(decoded.samples(), s.image().samples())).as(s.what())
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void truncatedStreamsAreRefusedWithTheTypedException() throws IOException {
        Random r = new Random(SEED + 1);
        for (TestStream s : streams(r, 30, false)) {
            byte[] full = s.stream();
            // Every cut near the end, where a decoder is likeliest to miss it, and some anywhere.
            java.util.SortedSet<Integer> cuts = new java.util.TreeSet<>();
            for (int k = 1; k <= 48 && k <= full.length; k++) {
                cuts.add(full.length - k);
            }
            for (int k = 0; k < 60; k++) {
                cuts.add(r.nextInt(full.length));
            }
            for (int cut : cuts) {
                byte[] part = Arrays.copyOf(full, cut);
                try {
                    DctJpegDecoder.decode(part, SMALL);
                    // Losing only EOI and the last bytes of padding may still decode; losing more may not.
                    assertThat(cut).as(s.what() + " cut at " + cut + " of " + full.length + " decoded")
                            .isGreaterThan(full.length - 8);
                } catch (JpegFormatException expected) {
                    // the one error for a stream that cannot be read
                }
            }
        }
    }

    @Test
    void damagedStreamsDecodeOrFailWithTheTypedException() {
        Random r = new Random(SEED + 2);
        List<String> findings = new ArrayList<>();
        for (TestStream s : streams(r, 40, false)) {
            for (int k = 0; k < 100; k++) {
                byte[] damaged = s.stream().clone();
                for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                    int at = r.nextInt(damaged.length);
                    damaged[at] = r.nextInt(4) == 0 ? (byte) 0xFF : (byte) r.nextInt(256);
                }
                try {
                    DctJpegDecoder.decode(damaged, SMALL);
                } catch (JpegFormatException typed) {
                    // expected for most damage
                } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                    findings.add(s.what() + " damage " + k + ": " + e);
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void framesRefuseADamagedTwelveBitFrameWithDicomFormatException() throws IOException {
        TestStream s = streams(new Random(SEED + 3), 1, false).get(0);
        JpegTestImages.Image image = s.image();
        byte[] cut = Arrays.copyOf(s.stream(), s.stream().length / 2);
        Frames frames = Frames.of(JpegTestImages.encapsulated(image, image.samplesPerPixel() == 3 ? "RGB" : "MONOCHROME2",
                cut), TransferSyntax.JPEG_EXTENDED);
        assertThatThrownBy(() -> frames.decode(0)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("cannot decode JPEG frame");
        // A 12-bit JPEG Extended frame whose markers cannot be followed is damaged (422), not undecodable (406).
        JpegTestImages.Image twelve = JpegTestImages.random(new Random(SEED), 8, 8, 1, 12);
        byte[] garbage = new byte[64];
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        assertThatThrownBy(() -> Frames.of(JpegTestImages.encapsulated(twelve, "MONOCHROME2", garbage),
                TransferSyntax.JPEG_EXTENDED).decode(0)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("marker expected");
        // A stream whose size is not the one Rows and Columns give is refused before it is decoded.
        Attributes wrongSize = JpegTestImages.encapsulated(image, "MONOCHROME2", s.stream());
        wrongSize.setInt(Tag.Rows, VR.US, image.rows() + 1);
        assertThatThrownBy(() -> Frames.of(wrongSize, TransferSyntax.JPEG_EXTENDED).decode(0))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("Columns and Rows");
    }

    @Test
    void theHeaderCheckSeesTheFrameBeforeAnythingIsAllocated() throws IOException {
        TestStream s = streams(new Random(SEED + 4), 1, false).get(0);
        byte[] huge = s.stream().clone();
        int sof = indexOf(huge, 0xC1);
        huge[sof + 5] = (byte) 0xFF; // height
        huge[sof + 6] = (byte) 0xFF;
        huge[sof + 7] = (byte) 0xFF; // width
        huge[sof + 8] = (byte) 0xFF;
        List<FrameHeader> seen = new ArrayList<>();
        assertThatThrownBy(() -> DctJpegDecoder.decode(huge, header -> {
            seen.add(header);
            throw new IOException("too large");
        })).hasMessage("too large");
        assertThat(seen).singleElement().satisfies(h -> assertThat(h.width()).isEqualTo(65535));
        // Without a check, a stream far too short for the size it claims is refused before its planes are made.
        assertThatThrownBy(() -> DctJpegDecoder.decode(huge, header -> { })).isInstanceOf(JpegFormatException.class)
                .hasMessageContaining("cannot hold");
    }

    @Test
    void progressiveAndOtherProcessesAreLeftToOtherDecoders() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(new java.awt.image.BufferedImage(16, 16,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY), null, null), p);
        } finally {
            writer.dispose();
        }
        byte[] progressive = out.toByteArray();
        assertThat(DctJpegDecoder.canDecode(progressive)).isFalse();
        assertThatThrownBy(() -> DctJpegDecoder.decode(progressive, SMALL)).isInstanceOf(JpegFormatException.class)
                .hasMessageContaining("SOF2");
        assertThat(DctJpegDecoder.canDecode(new byte[] {1, 2, 3})).isFalse();
        assertThatThrownBy(() -> DctJpegDecoder.decode(new byte[] {(byte) 0xFF, (byte) 0xD9}, SMALL))
                .isInstanceOf(JpegFormatException.class);
    }

    /** Offset of the first marker {@code 0xFF code} in a stream. */
    private static int indexOf(byte[] stream, int code) {
        for (int i = 0; i + 1 < stream.length; i++) {
            if ((stream[i] & 0xFF) == 0xFF && (stream[i + 1] & 0xFF) == code) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(code));
    }
}
