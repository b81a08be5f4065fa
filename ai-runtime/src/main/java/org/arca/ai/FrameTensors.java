package org.arca.ai;

import java.awt.image.BufferedImage;
import java.util.Optional;
import org.arca.ai.worker.TensorFile;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;
import org.arca.dicom.image.DecodedFrame;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Window;

/**
 * Turns one decoded frame into the tensor a manifest asks for: stored values through the modality LUT (rescale
 * slope and intercept) and an optional window to [0, 1], or the frame rendered to 8-bit RGB scaled to [0, 1];
 * then per-channel mean and std, a bilinear resize, and the channel layout.
 */
final class FrameTensors {
    private FrameTensors() {
    }

    /** The tensor size for a frame of {@code rows} × {@code columns}: {height, width}. */
    static int[] targetSize(ModelManifest.InputSpec in, int rows, int columns) {
        if (in.width() > 0) {
            return new int[] {in.height(), in.width()};
        }
        double scale = in.maxSide() > 0 && Math.max(rows, columns) > in.maxSide() ? (double) in.maxSide() / Math.max(rows, columns) : 1;
        int h = (int) Math.round(rows * scale);
        int w = (int) Math.round(columns * scale);
        if (in.multipleOf() > 0) {
            h = Math.max(in.multipleOf(), Math.round((float) h / in.multipleOf()) * in.multipleOf());
            w = Math.max(in.multipleOf(), Math.round((float) w / in.multipleOf()) * in.multipleOf());
        }
        return new int[] {h, w};
    }

    static TensorFile.Tensor of(ModelManifest.InputSpec in, Attributes header, DecodedFrame frame)
            throws DicomFormatException {
        int rows = frame.description().rows();
        int cols = frame.description().columns();
        float[][] planes = in.pixels().equals("rgb8") || !frame.description().isMonochrome()
                ? rendered(header, frame, in.channels()) : modality(in, header, frame, in.channels());
        for (int c = 0; c < planes.length; c++) {
            double mean = in.mean().isEmpty() ? 0 : in.mean().get(c);
            double std = in.std().isEmpty() ? 1 : in.std().get(c);
            float[] p = planes[c];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) ((p[i] - mean) / std);
            }
        }
        int[] size = targetSize(in, rows, cols);
        int h = size[0];
        int w = size[1];
        float[] values = new float[planes.length * h * w];
        boolean nchw = in.layout().equals("NCHW");
        for (int c = 0; c < planes.length; c++) {
            float[] resized = h == rows && w == cols ? planes[c] : resize(planes[c], rows, cols, h, w);
            for (int i = 0; i < h * w; i++) {
                values[nchw ? c * h * w + i : i * planes.length + c] = resized[i];
            }
        }
        long[] shape = nchw ? new long[] {1, planes.length, h, w} : new long[] {1, h, w, planes.length};
        return new TensorFile.Tensor(shape, values);
    }

    private static float[][] modality(ModelManifest.InputSpec in, Attributes header, DecodedFrame frame, int channels) {
        double slope = header.getDouble(Tag.RescaleSlope, 1);
        double intercept = header.getDouble(Tag.RescaleIntercept, 0);
        int[] s = frame.samples();
        float[] plane = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            double v = s[i] * slope + intercept;
            if (in.windowWidth() != null) {
                double low = in.windowCenter() - in.windowWidth() / 2;
                v = Math.max(0, Math.min(1, (v - low) / in.windowWidth()));
            }
            plane[i] = (float) v;
        }
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            planes[c] = c == 0 ? plane : plane.clone();
        }
        return planes;
    }

    private static float[][] rendered(Attributes header, DecodedFrame frame, int channels) throws DicomFormatException {
        BufferedImage img = FrameRenderer.render(header, frame, displayWindow(header, frame));
        int w = img.getWidth();
        int h = img.getHeight();
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
        return planes;
    }

    /**
     * Pixels of 8 bits or fewer without a window of their own are shown as stored (the whole range), as a viewer
     * shows secondary captures; stretching to the frame's own range would turn a dim grey shape into a white one,
     * which a text detector rightly takes for a glyph. Deeper pixels keep the renderer's default.
     */
    private static Optional<Window> displayWindow(Attributes header, DecodedFrame frame) {
        if (header.contains(Tag.WindowCenter) || frame.description().bitsStored() > 8 || !frame.description().isMonochrome()) {
            return Optional.empty();
        }
        double slope = header.getDouble(Tag.RescaleSlope, 1);
        double intercept = header.getDouble(Tag.RescaleIntercept, 0);
        double range = (1 << frame.description().bitsStored()) * slope;
        return Optional.of(new Window(intercept + range / 2, range));
    }

    /** Bilinear resampling with pixel centres aligned, as image libraries do. */
    static float[] resize(float[] src, int rows, int cols, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * rows / h - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(rows - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * cols / w - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(cols - 1, x0 + 1);
                double fx = sx - x0;
                double top = src[y0 * cols + x0] * (1 - fx) + src[y0 * cols + x1] * fx;
                double bottom = src[y1 * cols + x0] * (1 - fx) + src[y1 * cols + x1] * fx;
                out[y * w + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}
