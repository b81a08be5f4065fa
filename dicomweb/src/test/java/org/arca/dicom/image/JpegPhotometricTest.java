package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour JPEG frames are read as Photometric Interpretation says (PS3.5 8.2.1), not as the stream's markers
 * suggest: RGB components stay RGB even in a stream with no JFIF or Adobe marker (which ImageIO took for YCbCr,
 * off by up to 255 per channel), and YBR_FULL_422 is converted to RGB, in decoded frames and in renderings.
 */
class JpegPhotometricTest {
    @TempDir
    Path dir;

    private static JpegTestImages.Image smoothColour() {
        Random r = new Random(5);
        int[] s = JpegTestImages.random(r, 40, 37, 3, 8).samples();
        // Strong, distinct channels, so that a wrong colour transform is far off.
        for (int i = 0; i < s.length; i += 3) {
            int x = i / 3 % 37;
            int y = i / 3 / 37;
            s[i] = 40 + 4 * x;
            s[i + 1] = 220 - 4 * y;
            s[i + 2] = 30 + 2 * (x + y);
        }
        return new JpegTestImages.Image(40, 37, 3, 8, "RGB", s);
    }

    @Test
    void rgbComponentsInAStreamWithoutColourMarkersStayRgb() throws IOException {
        JpegTestImages.Image source = smoothColour();
        byte[] stream = JpegTestImages.jdkJpeg(source, false, null, 0, 0.95f);
        assertThat(hasMarker(stream, 0xE0) || hasMarker(stream, 0xEE)).as("a JFIF or Adobe marker").isFalse();
        Attributes instance = JpegTestImages.encapsulated(source, "RGB", stream);
        DecodedFrame decoded = Frames.of(instance, TransferSyntax.JPEG_BASELINE).decode(0);
        assertThat(decoded.description().photometric()).isEqualTo("RGB");
        assertThat(JpegTestImages.meanDifference(decoded.samples(), source.samples())).isLessThan(2.0);
        assertThat(JpegTestImages.maxDifference(decoded.samples(), source.samples())).isLessThan(16);
        assertRendersLikeTheSource(instance, source);
    }

    @Test
    void ybrFull422FramesAreConvertedToRgb() throws IOException {
        JpegTestImages.Image source = smoothColour();
        byte[] stream = JpegTestImages.jdkJpeg(source, true, new int[][] {{2, 1}, {1, 1}, {1, 1}}, 0, 0.95f);
        Attributes instance = JpegTestImages.encapsulated(source, "YBR_FULL_422", stream);
        DecodedFrame decoded = Frames.of(instance, TransferSyntax.JPEG_BASELINE).decode(0);
        assertThat(decoded.description().photometric()).isEqualTo("RGB");
        assertThat(JpegTestImages.meanDifference(decoded.samples(), source.samples())).isLessThan(3.0);
        assertRendersLikeTheSource(instance, source);
    }

    /** The rendered path (/rendered, thumbnails) reads the file and shows the source's colours. */
    private void assertRendersLikeTheSource(Attributes instance, JpegTestImages.Image source) throws IOException {
        Path file = dir.resolve("instance.dcm");
        DicomWriter.write(file, instance, TransferSyntax.JPEG_BASELINE);
        BufferedImage img = FrameRenderer.render(file, 0, Optional.empty());
        int[] rendered = new int[source.samples().length];
        for (int y = 0; y < source.rows(); y++) {
            for (int x = 0; x < source.columns(); x++) {
                int rgb = img.getRGB(x, y);
                int i = (y * source.columns() + x) * 3;
                rendered[i] = rgb >> 16 & 0xFF;
                rendered[i + 1] = rgb >> 8 & 0xFF;
                rendered[i + 2] = rgb & 0xFF;
            }
        }
        assertThat(JpegTestImages.meanDifference(rendered, source.samples())).isLessThan(3.0);
    }

    private static boolean hasMarker(byte[] stream, int code) {
        for (int i = 0; i + 1 < stream.length; i++) {
            if ((stream[i] & 0xFF) == 0xFF && (stream[i + 1] & 0xFF) == code) {
                return true;
            }
        }
        return false;
    }
}
