package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomReader;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;
import org.w3c.dom.Node;

/**
 * Inputs for the JPEG decoder's tests: random images (smooth ramps, blocks and noise, so that both small and
 * large DCT coefficients occur), JPEG streams made by the JDK's writer (with restart intervals and chosen
 * sampling factors, which DCMTK's dcmcjpeg cannot make), instances wrapping them, and DCMTK's tools.
 */
final class JpegTestImages {
    private JpegTestImages() {
    }

    /** Native samples of one frame, interleaved by pixel. */
    record Image(int rows, int columns, int samplesPerPixel, int bits, String photometric, int[] samples) {
    }

    static Image random(Random r, int rows, int columns, int samplesPerPixel, int bits) {
        int max = (1 << bits) - 1;
        int[] s = new int[rows * columns * samplesPerPixel];
        double noise = r.nextInt(4) == 0 ? max : max * r.nextDouble() * 0.2;
        int blockX = r.nextInt(Math.max(1, columns));
        int blockY = r.nextInt(Math.max(1, rows));
        for (int c = 0; c < samplesPerPixel; c++) {
            double ax = r.nextDouble() * 2 - 1;
            double ay = r.nextDouble() * 2 - 1;
            int level = r.nextInt(max + 1);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < columns; x++) {
                    double v = max / 2.0 + ax * max * x / Math.max(1, columns) + ay * max * y / Math.max(1, rows);
                    if (x >= blockX && y >= blockY) {
                        v = level;
                    }
                    v += (r.nextDouble() - 0.5) * noise;
                    s[(y * columns + x) * samplesPerPixel + c] = (int) Math.max(0, Math.min(max, Math.round(v)));
                }
            }
        }
        return new Image(rows, columns, samplesPerPixel, bits, samplesPerPixel == 3 ? "RGB" : "MONOCHROME2", s);
    }

    /** A Secondary Capture instance with the image's Image Pixel attributes and the given pixel data. */
    static Attributes dataset(Image image, String photometric) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234567890");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1234567891");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.1234567892");
        ds.setString(Tag.Modality, VR.CS, "OT");
        if (image.samplesPerPixel() == 3) {
            ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        return TestDicom.pixelModule(ds, image.samplesPerPixel(), photometric, image.rows(), image.columns(),
                image.bits() > 8 ? 16 : 8, image.bits());
    }

    /** The image as a native Explicit VR Little Endian file. */
    static Path writeNative(Image image, Path file) throws IOException {
        Attributes ds = dataset(image, image.photometric());
        int bytes = image.bits() > 8 ? 2 : 1;
        ByteBuffer pixels = ByteBuffer.allocate(image.samples().length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : image.samples()) {
            if (bytes == 2) {
                pixels.putShort((short) v);
            } else {
                pixels.put((byte) v);
            }
        }
        ds.setBytes(Tag.PixelData, bytes == 2 ? VR.OW : VR.OB, pixels.array());
        DicomWriter.write(file, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return file;
    }

    /** An instance whose one frame is {@code stream}, in the given syntax and photometric interpretation. */
    static Attributes encapsulated(Image image, String photometric, byte[] stream) {
        Attributes ds = dataset(image, photometric);
        byte[] even = stream.length % 2 == 0 ? stream : Arrays.copyOf(stream, stream.length + 1);
        ds.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(Value.Bytes.EMPTY, new Value.Bytes(even))));
        return ds;
    }

    /** The first frame's stored bytes of a file. */
    static byte[] firstFrame(Path file) throws IOException {
        return Frames.of(DicomReader.read(file)).encodedFrame(0);
    }

    /**
     * An 8-bit JPEG from the JDK's writer: grey, or three components written from a raster as they are (no JFIF or
     * Adobe marker, no colour transform), or from an RGB image through JFIF's YCbCr. Sampling factors and a
     * restart interval (0 for none) are set through the writer's metadata.
     */
    static byte[] jdkJpeg(Image image, boolean ycbcr, int[][] sampling, int restartInterval, float quality)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            int type = image.samplesPerPixel() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
            BufferedImage img = new BufferedImage(image.columns(), image.rows(), type);
            WritableRaster raster = img.getRaster();
            raster.setPixels(0, 0, image.columns(), image.rows(), image.samples()); // bands are R, G, B in order
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            if (image.samplesPerPixel() == 3 && !ycbcr) {
                // A raster is written as it stands; the JFIF marker would claim YCbCr.
                IIOMetadataNode variety = (IIOMetadataNode) root.getElementsByTagName("JPEGvariety").item(0);
                while (variety.hasChildNodes()) {
                    variety.removeChild(variety.getFirstChild());
                }
            }
            var specs = root.getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength() && sampling != null; i++) {
                IIOMetadataNode spec = (IIOMetadataNode) specs.item(i);
                spec.setAttribute("HsamplingFactor", Integer.toString(sampling[i][0]));
                spec.setAttribute("VsamplingFactor", Integer.toString(sampling[i][1]));
            }
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                Node sos = root.getElementsByTagName("sos").item(0);
                markers.insertBefore(dri, sos);
            }
            meta.setFromTree(format, root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                if (image.samplesPerPixel() == 3 && !ycbcr) {
                    writer.write(null, new IIOImage(raster, null, meta), param);
                } else {
                    writer.write(null, new IIOImage(img, null, meta), param);
                }
            }
            return out.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    static boolean dcmtkAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "dcmcjpeg")) && Files.isExecutable(Path.of(dir, "dcmdjpeg"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a DCMTK tool and fails the test, with its output, unless it succeeds; returns that output. */
    static String dcmtk(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        // A guard against a hung tool, not a timing assertion.
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }

    /** dcmdjpeg's decoding of a compressed file, read back as native samples with its description. */
    static DecodedFrame dcmtkDecode(Path compressed, Path out, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dcmdjpeg"));
        command.addAll(List.of(options));
        command.add(compressed.toString());
        command.add(out.toString());
        // libjpeg only warns about damaged data (and decodes on with zeros): such a warning means the input is bad.
        // DCMTK's own warning that 12-bit YCbCr "will probably not work" is not about the stream.
        List<String> warnings = dcmtk(command.toArray(String[]::new)).lines()
                .filter(line -> line.startsWith("W:") && !line.contains("BitsStored < BitsAllocated")).toList();
        assertThat(warnings).as("dcmdjpeg's warnings on " + compressed).isEmpty();
        return Frames.of(DicomReader.read(out)).decode(0);
    }

    /** Largest difference between two sample arrays of the same length. */
    static int maxDifference(int[] a, int[] b) {
        assertThat(a).hasSameSizeAs(b);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double meanDifference(int[] a, int[] b) {
        assertThat(a).hasSameSizeAs(b);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return (double) sum / a.length;
    }
}
