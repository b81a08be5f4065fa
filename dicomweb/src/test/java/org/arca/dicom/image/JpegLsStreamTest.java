package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.image.jpegls.JpegLsDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JPEG-LS decoder on streams that are not what DCMTK writes: damaged or cut short (each must end in
 * {@link DicomFormatException}, which the web answers with 422, or {@link NoDecoderException}, never another
 * exception and never a hang), and with restart markers, which dcmcjpls does not write.
 */
class JpegLsStreamTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");

    @TempDir
    Path scratch;

    private static Frames corpusCt() throws IOException {
        return Frames.of(DicomReader.read(CORPUS.resolve("ct16_jpegls.dcm")));
    }

    @Test
    void aStreamCutShortAnywhereIsRefusedAsDamaged() throws IOException {
        Frames ct = corpusCt();
        byte[] stream = ct.encodedFrame(0);
        for (int length = 0; length < stream.length; length++) {
            byte[] cut = Arrays.copyOf(stream, length);
            assertThatThrownBy(() -> JpegLsDecoder.decode(cut, ct.description()))
                    .as("cut to %d of %d bytes", length, stream.length)
                    .isInstanceOf(DicomFormatException.class);
        }
    }

    @Test
    void damagedStreamsDecodeOrFailWithTheTypedExceptions() throws IOException {
        Frames ct = corpusCt();
        byte[] stream = ct.encodedFrame(0);
        Random random = new Random(3);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = stream.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                // Half the damage in the headers (the first 40 bytes), where lengths, sizes and parameters live.
                int at = random.nextBoolean() ? random.nextInt(Math.min(40, damaged.length)) : random.nextInt(damaged.length);
                damaged[at] = switch (random.nextInt(3)) {
                    case 0 -> (byte) random.nextInt(256);
                    case 1 -> (byte) 0xFF;
                    default -> (byte) (damaged[at] ^ (1 << random.nextInt(8)));
                };
            }
            try {
                JpegLsDecoder.decode(damaged, ct.description());
            } catch (DicomFormatException | NoDecoderException expected) {
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("input " + i + ": " + e, e);
            }
        }
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void aStreamOfAnotherKindIsRefusedAsDamaged() throws IOException {
        Frames ct = corpusCt();
        Frames jpeg = Frames.of(DicomReader.read(CORPUS.resolve("ct16_jpeg_lossless_sv1.dcm")));
        assertThatThrownBy(() -> JpegLsDecoder.decode(jpeg.encodedFrame(0), ct.description()))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("not a JPEG-LS stream");
        assertThatThrownBy(() -> JpegLsDecoder.decode(new byte[0], ct.description()))
                .isInstanceOf(DicomFormatException.class);
    }

    @Test
    void aFrameThatDoesNotMatchTheImageAttributesIsRefused() throws IOException {
        Frames ct = corpusCt();
        PixelDescription d = ct.description();
        PixelDescription otherSize = new PixelDescription(d.rows() + 1, d.columns(), 1, d.bitsAllocated(), d.bitsStored(),
                d.highBit(), d.signed(), 0, d.photometric(), 1);
        assertThatThrownBy(() -> JpegLsDecoder.decode(ct.encodedFrame(0), otherSize))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("but Columns and Rows are");
        PixelDescription colour = new PixelDescription(d.rows(), d.columns(), 3, 16, 16, 15, false, 0, "RGB", 1);
        assertThatThrownBy(() -> JpegLsDecoder.decode(ct.encodedFrame(0), colour))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("Samples per Pixel is 3");
    }

    @Test
    void mappingTablesAreAFeatureWithoutADecoder() throws IOException {
        Frames ct = corpusCt();
        byte[] stream = ct.encodedFrame(0);
        int sos = indexOf(stream, 0xDA);
        byte[] mapped = stream.clone();
        mapped[sos + 6] = 1; // Tm of the scan's one component: mapping table 1
        assertThatThrownBy(() -> JpegLsDecoder.decode(mapped, ct.description()))
                .isInstanceOf(NoDecoderException.class).hasMessageContaining("mapping tables");
    }

    @Test
    void hpColourTransformIsAFeatureWithoutADecoderWhileOtherApplicationSegmentsAreSkipped() throws IOException {
        Frames ct = corpusCt();
        byte[] stream = ct.encodedFrame(0);
        for (int transform : new int[] {0, 1}) {
            ByteArrayOutputStream withApp8 = new ByteArrayOutputStream();
            withApp8.write(stream, 0, 2);
            withApp8.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE8, 0, 7, 'm', 'r', 'f', 'x', (byte) transform});
            withApp8.write(stream, 2, stream.length - 2);
            byte[] input = withApp8.toByteArray();
            if (transform == 0) {
                assertThat(JpegLsDecoder.decode(input, ct.description()).samples()).isEqualTo(ct.decode(0).samples());
            } else {
                assertThatThrownBy(() -> JpegLsDecoder.decode(input, ct.description()))
                        .isInstanceOf(NoDecoderException.class).hasMessageContaining("colour transform");
            }
        }
    }

    /**
     * Restart intervals against DCMTK: after a restart marker the decoder starts afresh, as at the top of the image
     * (T.87 D.3), so an image coded with restart interval R is the strips of R lines coded alone, joined by RSTm
     * markers under one frame header with the full height and a DRI segment. dcmcjpls codes the strips.
     */
    @Test
    void restartIntervalsDecodeAsTheImageCodedInStrips() throws Exception {
        assumeTrue(JpegLsOracleTest.dcmtkInstalled(),
                "dcmcjpls (Debian package dcmtk) is not installed: JPEG-LS restart interval check skipped");
        Random random = new Random(5);
        int checked = 0;
        for (int i = 0; i < 16; i++) {
            JpegLsOracleTest.Case image = JpegLsOracleTest.Case.random(random);
            if (image.samples() == 3 && image.near() > 0) {
                continue; // dcmcjpls 3.6.7 writes near-lossless colour strips that dcmdjpls itself cannot decode
            }
            // One scan: colour line-interleaved (dcmcjpls is unreliable with sample interleaving, see JpegLsOracleTest).
            String interleave = image.samples() == 3 ? "+il" : image.interleave();
            image = new JpegLsOracleTest.Case(2 + random.nextInt(24), image.columns(), image.samples(), image.bitsStored(),
                    image.signed(), 1, image.near(), image.cooked(), interleave, image.thresholds(), null);
            image = image.withRandomPixels(random);
            int interval = 1 + random.nextInt(image.rows() - 1);
            byte[] joined = joinStrips(image, interval);
            Frames original = Frames.of(image.dataset(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            int[] expected = original.decode(0).samples();
            int[] decoded;
            try {
                decoded = JpegLsDecoder.decode(joined, original.description()).samples();
            } catch (IOException e) {
                throw new AssertionError(image + ", restart interval " + interval + ": " + e.getMessage(), e);
            }
            for (int s = 0; s < expected.length; s++) {
                assertThat(Math.abs(decoded[s] - expected[s])).as("%s, restart interval %d, sample %d", image, interval, s)
                        .isLessThanOrEqualTo(image.near());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    /** The image coded in strips of {@code interval} lines by dcmcjpls, joined into one stream with restart markers. */
    private byte[] joinStrips(JpegLsOracleTest.Case image, int interval) throws Exception {
        int bytesPerRow = image.columns() * image.samples() * image.bitsAllocated() / 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] headers = null;
        for (int first = 0, strip = 0; first < image.rows(); first += interval, strip++) {
            int rows = Math.min(interval, image.rows() - first);
            JpegLsOracleTest.Case part = new JpegLsOracleTest.Case(rows, image.columns(), image.samples(),
                    image.bitsStored(), image.signed(), 1, image.near(), image.cooked(), image.interleave(),
                    image.thresholds(), Arrays.copyOfRange(image.pixels(), first * bytesPerRow, (first + rows) * bytesPerRow));
            byte[] stream = encode(part);
            int sos = indexOf(stream, 0xDA);
            int scanData = sos + 2 + ((stream[sos + 2] & 0xFF) << 8 | stream[sos + 3] & 0xFF);
            int eoi = lastIndexOf(stream, 0xD9);
            // The strips must share one set of headers but for their heights (DCMTK once chose another NEAR for a
            // strip it found hard).
            byte[] stripHeaders = Arrays.copyOf(stream, scanData);
            int stripSof = indexOf(stripHeaders, 0xF7);
            stripHeaders[stripSof + 5] = 0;
            stripHeaders[stripSof + 6] = 0;
            if (strip == 0) {
                headers = stripHeaders;
            } else {
                assertThat(stripHeaders).as("%s: headers of strip %d", image, strip).isEqualTo(headers);
            }
            if (strip == 0) {
                byte[] header = Arrays.copyOf(stream, sos);
                int sof = indexOf(header, 0xF7);
                header[sof + 5] = (byte) (image.rows() >> 8);
                header[sof + 6] = (byte) image.rows();
                out.writeBytes(header);
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, (byte) (interval >> 8), (byte) interval});
                out.writeBytes(Arrays.copyOfRange(stream, sos, scanData));
            } else {
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) (0xD0 + (strip - 1) % 8)});
            }
            out.writeBytes(Arrays.copyOfRange(stream, scanData, eoi));
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    private byte[] encode(JpegLsOracleTest.Case c) throws Exception {
        Path plain = scratch.resolve("strip.dcm");
        Path encoded = scratch.resolve("strip-jls.dcm");
        DicomWriter.write(plain, c.dataset(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        List<String> command = new ArrayList<>(List.of("dcmcjpls", "-q"));
        command.addAll(c.dcmcjplsOptions());
        command.addAll(List.of(plain.toString(), encoded.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return Frames.of(DicomReader.read(encoded)).encodedFrame(0);
    }

    /** Where the first marker FF code starts. */
    private static int indexOf(byte[] stream, int code) {
        for (int i = 0; i + 1 < stream.length; i++) {
            if (stream[i] == (byte) 0xFF && (stream[i + 1] & 0xFF) == code) {
                return i;
            }
        }
        throw new AssertionError("no marker FF" + Integer.toHexString(code));
    }

    private static int lastIndexOf(byte[] stream, int code) {
        for (int i = stream.length - 2; i >= 0; i--) {
            if (stream[i] == (byte) 0xFF && (stream[i + 1] & 0xFF) == code) {
                return i;
            }
        }
        throw new AssertionError("no marker FF" + Integer.toHexString(code));
    }
}
