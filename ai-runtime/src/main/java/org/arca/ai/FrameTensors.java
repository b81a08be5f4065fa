package org.arca.ai;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Optional;
import org.arca.ai.worker.TensorFile;
import org.arca.ai.worker.TensorRecipe;
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
    private static final int[] GREY_AS_RGB = greyAsRgb();
    private static final boolean NEUTRAL_GREY = java.util.Arrays.stream(GREY_AS_RGB)
            .allMatch(rgb -> (rgb >> 16 & 0xFF) == (rgb >> 8 & 0xFF) && (rgb >> 8 & 0xFF) == (rgb & 0xFF));

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

    /**
     * The prepared frame: rendered frames ({@code rgb8}, or colour) as 8-bit pixels with the recipe the worker
     * applies, others as the finished float tensor.
     */
    static TensorFile.Frame of(ModelManifest.InputSpec in, Attributes header, DecodedFrame frame)
            throws DicomFormatException {
        int rows = frame.description().rows();
        int cols = frame.description().columns();
        TensorRecipe recipe = recipe(in, rows, cols);
        if (in.pixels().equals("rgb8") || !frame.description().isMonochrome()) {
            return rendered(header, frame, recipe);
        }
        return recipe.tensor(modality(in, header, frame, in.channels()), rows, cols);
    }

    static TensorRecipe recipe(ModelManifest.InputSpec in, int rows, int cols) {
        int[] size = targetSize(in, rows, cols);
        return new TensorRecipe(in.channels(), in.mean().stream().mapToDouble(Double::doubleValue).toArray(),
                in.std().stream().mapToDouble(Double::doubleValue).toArray(), size[0], size[1], in.layout().equals("NCHW"));
    }

    static float[][] modality(ModelManifest.InputSpec in, Attributes header, DecodedFrame frame, int channels) {
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

    /**
     * The frame as {@link BufferedImage#getRGB} gives it (for a grey image that includes Java 2D's grey to sRGB
     * conversion), read through the raster instead of pixel by pixel: grey levels through a table of the 256
     * answers getRGB gives, kept as one byte when the table is neutral; RGB straight from its ints.
     */
    static TensorFile.Rgb8 rendered(Attributes header, DecodedFrame frame, TensorRecipe recipe) throws DicomFormatException {
        BufferedImage img = FrameRenderer.render(header, frame, displayWindow(header, frame));
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int[] table = GREY_AS_RGB;
            byte[] grey = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            boolean neutral = NEUTRAL_GREY;
            byte[] out = new byte[neutral ? n : n * 3];
            for (int i = 0; i < n; i++) {
                int rgb = table[grey[i] & 0xFF];
                if (neutral) {
                    out[i] = (byte) rgb;
                } else {
                    out[i * 3] = (byte) (rgb >> 16);
                    out[i * 3 + 1] = (byte) (rgb >> 8);
                    out[i * 3 + 2] = (byte) rgb;
                }
            }
            return new TensorFile.Rgb8(h, w, neutral ? 1 : 3, out, recipe);
        }
        byte[] out = new byte[n * 3];
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            int[] data = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < n; i++) {
                out[i * 3] = (byte) (data[i] >> 16);
                out[i * 3 + 1] = (byte) (data[i] >> 8);
                out[i * 3 + 2] = (byte) data[i];
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    int i = (y * w + x) * 3;
                    out[i] = (byte) (rgb >> 16);
                    out[i + 1] = (byte) (rgb >> 8);
                    out[i + 2] = (byte) rgb;
                }
            }
        }
        return new TensorFile.Rgb8(h, w, 3, out, recipe);
    }

    private static int[] greyAsRgb() {
        BufferedImage ramp = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        byte[] levels = ((DataBufferByte) ramp.getRaster().getDataBuffer()).getData();
        for (int v = 0; v < 256; v++) {
            levels[v] = (byte) v;
        }
        int[] table = new int[256];
        for (int v = 0; v < 256; v++) {
            table[v] = ramp.getRGB(v, 0);
        }
        return table;
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
}
