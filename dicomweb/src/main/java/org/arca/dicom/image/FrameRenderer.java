package org.arca.dicom.image;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;

/**
 * Renders a frame to an 8-bit image for display: Modality LUT as rescale slope and intercept,
 * then a VOI window (given, else the object's first Window Center/Width, else the frame's range),
 * MONOCHROME1 inverted; RGB, YBR_FULL and YBR_FULL_422 converted to RGB; PALETTE COLOR through
 * its lookup tables. Writes PNG and JPEG and scales thumbnails.
 *
 * <p>Stateless and thread-safe. Modality and VOI LUT sequences are not applied (only their
 * linear equivalents).
 */
public final class FrameRenderer {
    private FrameRenderer() {
    }

    /** Reads a file (pixel data left in the file) and renders one frame. */
    public static BufferedImage render(Path file, int frame, Optional<Window> window) throws IOException {
        DicomFile f = DicomReader.read(file, DicomReader.Options.DEFAULT.withBulkThreshold(4096));
        return render(f, frame, window);
    }

    public static BufferedImage render(DicomFile file, int frame, Optional<Window> window) throws IOException {
        Frames frames = Frames.of(file);
        return render(file.dataset(), frames.decode(frame), window);
    }

    /** Renders decoded samples with the presentation attributes of {@code dataset}. */
    public static BufferedImage render(Attributes dataset, DecodedFrame frame, Optional<Window> window)
            throws DicomFormatException {
        PixelDescription d = frame.description();
        int w = d.columns();
        int h = d.rows();
        int[] s = frame.samples();
        String photometric = d.photometric();
        if (d.isMonochrome()) {
            double slope = finite(dataset, Tag.RescaleSlope, 1);
            double intercept = finite(dataset, Tag.RescaleIntercept, 0);
            Window win = window.orElseGet(() -> objectWindow(dataset).orElseGet(() -> rangeOf(s, slope, intercept)));
            boolean invert = photometric.equals("MONOCHROME1");
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] out = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            double c = win.center() - 0.5;
            double range = win.width() - 1;
            for (int i = 0; i < w * h; i++) {
                double x = s[i] * slope + intercept;
                double y;
                if (range <= 0) {
                    y = x < c ? 0 : 255;
                } else if (x <= c - range / 2) {
                    y = 0;
                } else if (x > c + range / 2) {
                    y = 255;
                } else {
                    y = ((x - c) / range + 0.5) * 255;
                }
                int v = (int) Math.round(y);
                out[i] = (byte) (invert ? 255 - v : v);
            }
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        if (photometric.equals("PALETTE COLOR")) {
            PaletteLut lut = palette(dataset, d.signed());
            for (int i = 0; i < w * h; i++) {
                rgb[i] = lut.rgb(s[i]);
            }
            return img;
        }
        if (d.samplesPerPixel() != 3) {
            throw new DicomFormatException("cannot render photometric " + photometric + " with "
                    + d.samplesPerPixel() + " samples", -1, Tag.PhotometricInterpretation);
        }
        boolean ybr = photometric.startsWith("YBR_FULL");
        int shift = Math.max(0, d.bitsStored() - 8);
        for (int i = 0; i < w * h; i++) {
            int a = s[i * 3] >> shift;
            int b = s[i * 3 + 1] >> shift;
            int c = s[i * 3 + 2] >> shift;
            if (ybr) {
                // PS3.3 C.7.6.3.1.2: YBR_FULL to RGB.
                double y = a;
                double cb = b - 128;
                double cr = c - 128;
                a = clamp(y + 1.402 * cr);
                b = clamp(y - 0.344136 * cb - 0.714136 * cr);
                c = clamp(y + 1.772 * cb);
            }
            rgb[i] = (a & 0xFF) << 16 | (b & 0xFF) << 8 | (c & 0xFF);
        }
        return img;
    }

    /** A DS value; Java parses "NaN", "Infinity" and hexadecimal floats, which are no decimal strings. */
    private static double finite(Attributes dataset, int tag, double orElse) throws DicomFormatException {
        double v = dataset.getDouble(tag, orElse);
        if (!Double.isFinite(v)) {
            throw new DicomFormatException(Tag.toString(tag) + " is not a finite number", -1, tag);
        }
        return v;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static Optional<Window> objectWindow(Attributes a) {
        double[] c = a.doubles(Tag.WindowCenter);
        double[] w = a.doubles(Tag.WindowWidth);
        return c.length > 0 && w.length > 0 && w[0] >= 1 ? Optional.of(new Window(c[0], w[0])) : Optional.empty();
    }

    private static Window rangeOf(int[] s, double slope, double intercept) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : s) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double lo = Math.min(min * slope, max * slope) + intercept;
        double hi = Math.max(min * slope, max * slope) + intercept;
        double width = hi - lo + 1;
        // A slope near Double.MAX_VALUE overflows the range to infinity; such a window shows the frame as one level.
        return Double.isFinite(width) ? new Window((lo + hi + 1) / 2, Math.max(1, width)) : new Window(0, 1);
    }

    /**
     * The object's palette. Its tables are often left in the file as bulk data, so reading them may fail for
     * reasons that are not the data's (the file went away): such failures stay unchecked I/O errors.
     */
    private static PaletteLut palette(Attributes dataset, boolean signed) throws DicomFormatException {
        try {
            return PaletteLut.of(dataset, signed);
        } catch (DicomFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scales an image to fit in a square of {@code maxSize} pixels, keeping its aspect ratio. */
    public static BufferedImage thumbnail(BufferedImage img, int maxSize) {
        double scale = Math.min(1.0, (double) maxSize / Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, img.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Writes PNG; the stream is not closed. */
    public static void writePng(BufferedImage img, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        // Buffered in memory: ImageIO.write(img, "png", out) caches through a temporary file.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } finally {
            writer.dispose();
        }
    }

    /** Writes JPEG at a quality between 0 and 1; the stream is not closed. */
    public static void writeJpeg(BufferedImage img, OutputStream out, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }
}
