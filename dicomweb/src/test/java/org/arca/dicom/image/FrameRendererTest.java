package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.arca.dicom.DicomCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rendering to 8 bits: windows, photometric interpretations, output formats and thumbnails. */
class FrameRendererTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void ctWindowFromTheObjectAndGiven() throws IOException {
        // Centre disc 1000..1049 stored, -1024 intercept: about 0 HU, inside window 40/400.
        BufferedImage img = FrameRenderer.render(CORPUS.resolve("ct16.dcm"), 0, Optional.empty());
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(grey(img, 32, 32)).isBetween(90, 160);
        assertThat(grey(img, 0, 0)).isZero(); // -2024 HU: below the window
        BufferedImage wide = FrameRenderer.render(CORPUS.resolve("ct16.dcm"), 0, Optional.of(new Window(-2000, 10)));
        assertThat(grey(wide, 32, 32)).isEqualTo(255);
    }

    @Test
    void monochrome1IsInverted() throws IOException {
        BufferedImage img = FrameRenderer.render(CORPUS.resolve("mono1_12.dcm"), 0, Optional.empty());
        // Stored values grow with x: MONOCHROME1 shows them darker.
        assertThat(grey(img, 0, 0)).isGreaterThan(grey(img, 63, 0));
        // The same image as 12-bit JPEG Extended renders alike (lossy: within a few grey levels).
        BufferedImage jpeg = FrameRenderer.render(CORPUS.resolve("mono1_12_jpeg_extended.dcm"), 0, Optional.empty());
        for (int x = 0; x < 64; x += 7) {
            assertThat(grey(jpeg, x, 5)).as("x %d", x).isCloseTo(grey(img, x, 5), org.assertj.core.data.Offset.offset(3));
        }
    }

    @Test
    void multiFrameFramesDiffer() throws IOException {
        BufferedImage f0 = FrameRenderer.render(CORPUS.resolve("mf8.dcm"), 0, Optional.of(new Window(128, 256)));
        BufferedImage f2 = FrameRenderer.render(CORPUS.resolve("mf8.dcm"), 2, Optional.of(new Window(128, 256)));
        assertThat(grey(f0, 0, 0)).isEqualTo(0);
        assertThat(grey(f2, 0, 0)).isEqualTo(160);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb.dcm", "rgb_planar.dcm", "rgb_rle.dcm", "rgb_jpeg_baseline.dcm"})
    void rgbObjectsRenderTheSameColours(String name) throws IOException {
        BufferedImage img = FrameRenderer.render(CORPUS.resolve(name), 0, Optional.empty());
        int rgb = img.getRGB(10, 20); // original (80, 160, 120)
        assertThat(Math.abs((rgb >> 16 & 0xFF) - 80)).isLessThan(8);
        assertThat(Math.abs((rgb >> 8 & 0xFF) - 160)).isLessThan(8);
        assertThat(Math.abs((rgb & 0xFF) - 120)).isLessThan(8);
    }

    @Test
    void ybrFull422IsConvertedToRgb() throws IOException {
        BufferedImage img = FrameRenderer.render(CORPUS.resolve("ybr422.dcm"), 0, Optional.empty());
        // Row 0: Cb = Cr = 128, so grey equal to Y (x * 16 for the first of each pair).
        int rgb = img.getRGB(4, 0);
        assertThat(rgb >> 16 & 0xFF).isEqualTo(64);
        assertThat(rgb & 0xFF).isEqualTo(64);
        // Row 15: Cr = 68 (less red), Cb = 188 (more blue).
        int c = img.getRGB(4, 15);
        assertThat(c & 0xFF).isGreaterThan(c >> 16 & 0xFF);
    }

    @Test
    void paletteColourLooksUpEachChannel() throws IOException {
        BufferedImage img = FrameRenderer.render(CORPUS.resolve("palette.dcm"), 0, Optional.empty());
        int index = (5 + 2 * 8) & 0xFF;
        int rgb = img.getRGB(5, 2);
        assertThat(rgb >> 16 & 0xFF).isEqualTo(index);
        assertThat(rgb >> 8 & 0xFF).isEqualTo(255 - index);
        assertThat(rgb & 0xFF).isEqualTo(index * 2 % 256);
    }

    @Test
    void pngJpegAndThumbnails() throws IOException {
        BufferedImage img = FrameRenderer.render(CORPUS.resolve("ct16.dcm"), 0, Optional.empty());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        FrameRenderer.writePng(img, png);
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(png.toByteArray())).getRaster().getSample(32, 32, 0))
                .isEqualTo(grey(img, 32, 32));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        FrameRenderer.writeJpeg(img, jpeg, 0.9f);
        assertThat(jpeg.toByteArray()[0] & 0xFF).isEqualTo(0xFF);
        BufferedImage thumb = FrameRenderer.thumbnail(img, 16);
        assertThat(thumb.getWidth()).isEqualTo(16);
        assertThat(thumb.getHeight()).isEqualTo(16);
    }

    @Test
    void commandLineEntryPoints(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("out.png");
        DicomCommands.renderPng(CORPUS.resolve("mf8.dcm"), 2, 128.0, 256.0, png);
        assertThat(ImageIO.read(png.toFile()).getRaster().getSample(0, 0, 0)).isEqualTo(160);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DicomCommands.printJson(CORPUS.resolve("ct16_rle.dcm"), new java.io.PrintStream(buf, true, "UTF-8"));
        String json = buf.toString("UTF-8");
        assertThat(json).contains("\"7FE00010\"").contains("InlineBinary").contains("\"00100020\"");
        assertThat(Files.exists(png)).isTrue();
    }
}
