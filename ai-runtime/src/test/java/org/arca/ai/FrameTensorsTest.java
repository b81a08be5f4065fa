package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.arca.ai.worker.TensorFile;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.VR;
import org.arca.dicom.image.DecodedFrame;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Frames;
import org.arca.dicom.image.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendered frames travel to the worker as 8 bits and become tensors there. The tensor must be exactly the one
 * computed straight from the rendered image: checked against that computation written out here (each pixel through
 * {@link BufferedImage#getRGB}, scaled, normalised in double, bilinear resize), through the tensor file and back.
 */
class FrameTensorsTest {
    @TempDir
    Path tmp;

    @Test
    void greyFramesBecomeBitIdenticalTensorsThroughTheTensorFile() throws Exception {
        DicomFile file = DicomReader.read(TextPhantom.dicom(TextPhantom.image(320, 240, true), "1.2.3", "1.2.3.4", "1.2.3.4.5", 1),
                DicomReader.Options.DEFAULT);
        DecodedFrame frame = Frames.of(file).decode(0);
        // 8-bit, no window of its own: shown as stored, the whole 0..255 range.
        BufferedImage shown = FrameRenderer.render(file.dataset(), frame, Optional.of(new Window(128, 256)));
        List<ModelManifest.InputSpec> specs = List.of(
                spec(3, "NCHW", List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), 0, 0, 32),
                spec(1, "NHWC", List.of(0.5), List.of(0.25), 0, 0, 0),
                spec(3, "NHWC", List.of(), List.of(), 100, 70, 0));
        for (ModelManifest.InputSpec spec : specs) {
            assertSameTensor(spec, file.dataset(), frame, shown);
        }
    }

    @Test
    void colourFramesBecomeBitIdenticalTensorsAndReadBackForOverlays() throws Exception {
        int w = 97;
        int h = 61;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(10, 10, 40, 20);
        g.dispose();
        DicomFile file = DicomReader.read(rgbDicom(img), DicomReader.Options.DEFAULT);
        DecodedFrame frame = Frames.of(file).decode(0);
        BufferedImage shown = FrameRenderer.render(file.dataset(), frame, Optional.empty());
        ModelManifest.InputSpec spec = spec(3, "NCHW", List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), 0, 0, 32);
        assertSameTensor(spec, file.dataset(), frame, shown);

        TensorFile.Rgb8 rgb = (TensorFile.Rgb8) FrameTensors.of(spec, file.dataset(), frame);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                int stored = (rgb.pixels()[i] & 0xFF) << 16 | (rgb.pixels()[i + 1] & 0xFF) << 8 | rgb.pixels()[i + 2] & 0xFF;
                assertThat(stored).isEqualTo(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void modalityFramesStayFloatAndEveryFrameIsFoundAgainAtItsOffset() throws Exception {
        TestSeries series = new TestSeries("1.2.826.0.1.3680043.10.96", 2, "CT", 3);
        DicomFile ct = DicomReader.read(series.files.get(0), DicomReader.Options.DEFAULT);
        DecodedFrame ctFrame = Frames.of(ct).decode(0);
        ModelManifest.InputSpec window = new ModelManifest.InputSpec(List.of("CT"), List.of(), "modality", 500.0, 1000.0, List.of(), List.of(),
                0, 0, 0, 0, 1, "NCHW");
        DicomFile sc = DicomReader.read(TextPhantom.dicom(TextPhantom.image(64, 48, false), "1.2.3", "1.2.3.4", "1.2.3.4.6", 2),
                DicomReader.Options.DEFAULT);
        ModelManifest.InputSpec rgb8 = spec(3, "NCHW", List.of(), List.of(), 0, 0, 0);

        List<TensorFile.Frame> written = List.of(FrameTensors.of(window, ct.dataset(), ctFrame),
                FrameTensors.of(rgb8, sc.dataset(), Frames.of(sc).decode(0)), FrameTensors.of(window, ct.dataset(), ctFrame));
        assertThat(written.get(0)).isInstanceOf(TensorFile.Tensor.class);
        float[] expected = new float[ctFrame.samples().length];
        double slope = ct.dataset().getDouble(Tag.RescaleSlope, 1);
        double intercept = ct.dataset().getDouble(Tag.RescaleIntercept, 0);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) Math.max(0, Math.min(1, (ctFrame.samples()[i] * slope + intercept) / 1000.0));
        }
        assertThat(written.get(0).tensor().values()).isEqualTo(expected);

        Path path = tmp.resolve("input.bin");
        List<Long> offsets = new ArrayList<>();
        try (TensorFile.Writer out = new TensorFile.Writer(path, written.size())) {
            for (TensorFile.Frame f : written) {
                offsets.add(out.write(f));
            }
        }
        try (TensorFile.Reader in = new TensorFile.Reader(path)) {
            assertThat(in.frames()).isEqualTo(3);
            for (TensorFile.Frame f : written) {
                TensorFile.Tensor read = in.next().tensor();
                assertThat(read.shape()).isEqualTo(f.tensor().shape());
                assertThat(read.values()).isEqualTo(f.tensor().values());
            }
        }
        assertThat(TensorFile.readRgb8(path, offsets.get(0))).isEmpty();
        assertThat(TensorFile.readRgb8(path, offsets.get(2))).isEmpty();
        TensorFile.Rgb8 back = TensorFile.readRgb8(path, offsets.get(1)).orElseThrow();
        assertThat(back.pixels()).isEqualTo(((TensorFile.Rgb8) written.get(1)).pixels());
    }

    private void assertSameTensor(ModelManifest.InputSpec spec, Attributes header, DecodedFrame frame, BufferedImage shown)
            throws Exception {
        TensorFile.Frame prepared = FrameTensors.of(spec, header, frame);
        assertThat(prepared).isInstanceOf(TensorFile.Rgb8.class);
        Path path = tmp.resolve("frames-" + System.nanoTime() + ".bin");
        try (TensorFile.Writer out = new TensorFile.Writer(path, 1)) {
            out.write(prepared);
        }
        TensorFile.Tensor actual;
        try (TensorFile.Reader in = new TensorFile.Reader(path)) {
            actual = in.next().tensor();
        }
        TensorFile.Tensor expected = expected(spec, shown);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        assertThat(actual.values()).as("%s", spec).isEqualTo(expected.values());
    }

    /** What the server computed before rendered frames travelled as bytes. */
    private static TensorFile.Tensor expected(ModelManifest.InputSpec in, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int channels = in.channels();
        float[][] planes = new float[channels][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int i = y * w + x;
                if (channels == 1) {
                    planes[0][i] = ((rgb >> 16 & 0xFF) * 0.299f + (rgb >> 8 & 0xFF) * 0.587f + (rgb & 0xFF) * 0.114f) / 255f;
                } else {
                    planes[0][i] = (rgb >> 16 & 0xFF) / 255f;
                    planes[1][i] = (rgb >> 8 & 0xFF) / 255f;
                    planes[2][i] = (rgb & 0xFF) / 255f;
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            double mean = in.mean().isEmpty() ? 0 : in.mean().get(c);
            double std = in.std().isEmpty() ? 1 : in.std().get(c);
            for (int i = 0; i < planes[c].length; i++) {
                planes[c][i] = (float) ((planes[c][i] - mean) / std);
            }
        }
        int[] size = FrameTensors.targetSize(in, h, w);
        int th = size[0];
        int tw = size[1];
        boolean nchw = in.layout().equals("NCHW");
        float[] values = new float[channels * th * tw];
        for (int c = 0; c < channels; c++) {
            float[] resized = th == h && tw == w ? planes[c] : bilinear(planes[c], h, w, th, tw);
            for (int i = 0; i < th * tw; i++) {
                values[nchw ? c * th * tw + i : i * channels + c] = resized[i];
            }
        }
        return new TensorFile.Tensor(nchw ? new long[] {1, channels, th, tw} : new long[] {1, th, tw, channels}, values);
    }

    private static float[] bilinear(float[] src, int rows, int cols, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * rows / h - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(rows - 1, y0 + 1);
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * cols / w - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(cols - 1, x0 + 1);
                double top = src[y0 * cols + x0] * (1 - (sx - x0)) + src[y0 * cols + x1] * (sx - x0);
                double bottom = src[y1 * cols + x0] * (1 - (sx - x0)) + src[y1 * cols + x1] * (sx - x0);
                out[y * w + x] = (float) (top * (1 - (sy - y0)) + bottom * (sy - y0));
            }
        }
        return out;
    }

    private static ModelManifest.InputSpec spec(int channels, String layout, List<Double> mean, List<Double> std, int width,
                                                int height, int multipleOf) {
        return new ModelManifest.InputSpec(List.of("OT"), List.of(), "rgb8", null, null, mean, std, width, height, multipleOf,
                0, channels, layout);
    }

    private static byte[] rgbDicom(BufferedImage img) throws Exception {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.7");
        ds.setString(Tag.Modality, VR.CS, "OT");
        TestDicom.pixelModule(ds, 3, "RGB", img.getHeight(), img.getWidth(), 8, 8);
        ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        byte[] pixels = new byte[img.getWidth() * img.getHeight() * 3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int i = (y * img.getWidth() + x) * 3;
                pixels[i] = (byte) (rgb >> 16);
                pixels[i + 1] = (byte) (rgb >> 8);
                pixels[i + 2] = (byte) rgb;
            }
        }
        byte[] even = pixels.length % 2 == 0 ? pixels : java.util.Arrays.copyOf(pixels, pixels.length + 1);
        ds.setBytes(Tag.PixelData, VR.OB, even);
        return TestDicom.part10(ds);
    }
}
