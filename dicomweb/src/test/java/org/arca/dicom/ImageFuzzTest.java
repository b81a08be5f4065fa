package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.arca.dicom.image.DecodedFrame;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Frames;
import org.arca.dicom.image.NoDecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame access and rendering over damaged images, the way the web serves them (a file read with bulk data left
 * in it, frames as stored, decoded, rendered to a PNG thumbnail). Inputs are valid instances, random ones from
 * {@link SyntheticImage} and the corpus's images (native, RLE, JPEG, JPEG-LS), mutated: truncated at random
 * offsets, bytes and lengths rewritten ({@link ReaderFuzzer#mutate}), Image Pixel attributes set to odd values
 * (Rows, Columns, Bits Allocated and Stored, High Bit, Samples per Pixel, Number of Frames, photometric, rescale),
 * pixel data shortened, and compressed fragments damaged, dropped or repeated.
 *
 * <p>Each input must either work or end in {@link DicomFormatException} ({@link NoDecoderException} for a syntax
 * without a Java decoder): any other exception is a finding, and so is allocating far more than the input holds,
 * which is what a declared size no data backs would make the codec do.
 */
class ImageFuzzTest {
    private static final long SEED = Long.getLong("arca.fuzz.seed", 7L);
    private static final int ITERATIONS = Integer.getInteger("arca.imagefuzz.iterations", 2000);
    /** As {@link ReaderFuzzer}: a base for the decoders and the PNG writer, and a budget per input byte. */
    private static final long ALLOCATION_BASE = 32L << 20;
    private static final long ALLOCATION_PER_BYTE = 64;
    /** The web's bulk threshold: pixel data stays in the file. */
    private static final long BULK_THRESHOLD = 256;

    @TempDir
    Path scratch;

    @Test
    void generatedInstancesDecodeToTheirOwnSamplesAndRender() throws IOException {
        Random random = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            SyntheticImage image = SyntheticImage.random(random);
            Path file = scratch.resolve("valid.dcm");
            Files.write(file, image.bytes());
            DicomFile read = DicomReader.read(file, DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
            Frames frames = Frames.of(read);
            for (int f = 0; f < frames.count(); f++) {
                DecodedFrame decoded = frames.decode(f);
                if (frames.description().bitsAllocated() == 1) {
                    // 1-bit frames need not start on a byte: frame f is bits f*n to (f+1)*n - 1, first bit lowest.
                    int n = decoded.samples().length;
                    for (int k = 0; k < n; k++) {
                        long bit = (long) f * n + k;
                        assertThat(decoded.samples()[k]).as("instance %d frame %d bit %d", i, f, k)
                                .isEqualTo(image.pixels()[(int) (bit >> 3)] >> (bit & 7) & 1);
                    }
                }
                FrameRenderer.render(read.dataset(), decoded, Optional.empty());
            }
        }
    }

    @Test
    void damagedImagesRenderOrFailWithTheTypedException() throws IOException {
        List<byte[]> seeds = new ArrayList<>(corpusImages());
        Random random = new Random(SEED);
        for (int i = 0; i < 100; i++) {
            seeds.add(SyntheticImage.random(random).bytes());
        }
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            String problem = problemWith(input, i % 2 == 0);
            if (problem != null && findings.size() < 5) {
                Path kept = Files.write(scratch.resolve("finding-" + findings.size() + ".dcm"), input);
                findings.add(problem + " (input " + i + ", seed " + SEED + ", kept in " + kept + ")");
            }
        }
        assertThat(findings).as(String.join("\n", findings)).isEmpty();
    }

    /** The corpus's files that hold an image. */
    private static List<byte[]> corpusImages() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (Path f : Corpus.files()) {
            if (DicomReader.read(f).dataset().contains(Tag.PixelData)) {
                images.add(Files.readAllBytes(f));
            }
        }
        return images;
    }

    /** Runs one input through frame access and rendering; null when it worked or failed cleanly. */
    private String problemWith(byte[] input, boolean viaFile) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            DicomFile file;
            if (viaFile) {
                Path f = Files.write(scratch.resolve("input.dcm"), input);
                file = DicomReader.read(f, DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
            } else {
                file = DicomReader.read(input, DicomReader.Options.DEFAULT);
            }
            Frames frames = Frames.of(file);
            for (int i = 0; i < Math.min(frames.count(), 3); i++) {
                frames.encodedFrame(i);
                try {
                    BufferedImage image = FrameRenderer.render(file.dataset(), frames.decode(i), Optional.empty());
                    FrameRenderer.writePng(FrameRenderer.thumbnail(image, 64), OutputStream.nullOutputStream());
                } catch (NoDecoderException typed) {
                    // No Java decoder for the syntax; the frame is still served as stored.
                }
            }
        } catch (DicomFormatException typed) {
            // The one error for malformed input.
        } catch (Exception | OutOfMemoryError e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return trace.toString();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        if (allocated > ALLOCATION_BASE + ALLOCATION_PER_BYTE * input.length) {
            return "allocated " + allocated + " bytes for an input of " + input.length;
        }
        return null;
    }

    private static byte[] mutate(byte[] seed, Random r) throws IOException {
        return switch (r.nextInt(5)) {
            case 0 -> ReaderFuzzer.mutate(seed, r);
            case 1 -> Arrays.copyOf(seed, r.nextInt(seed.length));
            case 2, 3 -> rewritten(seed, r, false);
            default -> rewritten(seed, r, true);
        };
    }

    /** The seed with one to three image attributes set to odd values, or its fragments damaged, written again. */
    private static byte[] rewritten(byte[] seed, Random r, boolean fragments) throws IOException {
        DicomFile file = DicomReader.read(seed, DicomReader.Options.DEFAULT);
        Attributes ds = file.dataset();
        if (fragments && ds.get(Tag.PixelData).orElseThrow().value() instanceof Value.Fragments f) {
            ds.set(Tag.PixelData, VR.OB, new Value.Fragments(damaged(f.items(), r)));
        } else {
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                oddAttribute(ds, r);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DicomWriter.write(out, ds, file.transferSyntax());
        return out.toByteArray();
    }

    private static void oddAttribute(Attributes ds, Random r) {
        int rows = ds.getInt(Tag.Rows, 1);
        int allocated = ds.getInt(Tag.BitsAllocated, 8);
        switch (r.nextInt(12)) {
            case 0 -> ds.setInt(Tag.Rows, VR.US, pickInt(r, 0, 1, 2, rows + 1, rows * 2, 4096, 65535));
            case 1 -> ds.setInt(Tag.Columns, VR.US, pickInt(r, 0, 1, 3, ds.getInt(Tag.Columns, 1) * 2, 4096, 65535));
            case 2 -> ds.setInt(Tag.BitsAllocated, VR.US, pickInt(r, 0, 1, 7, 8, 12, 16, 24, 32, 64, 65535));
            case 3 -> ds.setInt(Tag.BitsStored, VR.US, pickInt(r, 0, 1, allocated, allocated + 1, 33, 65535));
            case 4 -> ds.setInt(Tag.HighBit, VR.US, pickInt(r, 0, allocated - 1, allocated, 31, 65535));
            case 5 -> ds.setInt(Tag.SamplesPerPixel, VR.US, pickInt(r, 0, 1, 2, 3, 4, 65535));
            case 6 -> ds.setString(Tag.NumberOfFrames, VR.IS,
                    pickText(r, "0", "-1", "2", "3", "1000", "2147483647", "99999999999", "x"));
            case 7 -> ds.setString(Tag.PhotometricInterpretation, VR.CS,
                    pickText(r, "MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "PALETTE COLOR", "XYZ"));
            case 8 -> ds.setString(r.nextBoolean() ? Tag.RescaleSlope : Tag.RescaleIntercept, VR.DS,
                    pickText(r, "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "0", "0x1p3"));
            case 9 -> ds.setString(r.nextBoolean() ? Tag.WindowCenter : Tag.WindowWidth, VR.DS,
                    pickText(r, "NaN", "Infinity", "0", "-5", "1e308"));
            case 10 -> ds.setInt(Tag.PlanarConfiguration, VR.US, pickInt(r, 0, 1, 2));
            default -> {
                if (ds.get(Tag.PixelData).orElseThrow().value() instanceof Value.Bytes b) {
                    // Pixel data shorter than the attributes say: cut to a random even length.
                    ds.setBytes(Tag.PixelData, VR.OB, Arrays.copyOf(b.bytes(), r.nextInt(b.bytes().length / 2 + 1) * 2));
                } else {
                    ds.setInt(Tag.RedPaletteColorLookupTableDescriptor, VR.US, r.nextInt(65536), r.nextInt(65536),
                            pickInt(r, 8, 16, 0));
                }
            }
        }
    }

    /** Fragments with one damaged: bytes rewritten, cut, zeroed, dropped or repeated, or the offset table replaced. */
    private static List<Value> damaged(List<Value> items, Random r) {
        List<Value> out = new ArrayList<>(items);
        if (out.size() < 2) {
            return out;
        }
        int at = 1 + r.nextInt(out.size() - 1);
        byte[] b = ((Value.Bytes) out.get(at)).bytes().clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(16); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                out.set(at, new Value.Bytes(b));
            }
            case 1 -> out.set(at, new Value.Bytes(Arrays.copyOf(b, r.nextInt(b.length / 2 + 1) * 2)));
            case 2 -> out.set(at, new Value.Bytes(new byte[b.length]));
            case 3 -> out.remove(at);
            case 4 -> out.add(at, out.get(at));
            default -> {
                byte[] table = new byte[4 * r.nextInt(5)];
                r.nextBytes(table);
                out.set(0, new Value.Bytes(table));
            }
        }
        return out;
    }

    private static String pickText(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    private static int pickInt(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }
}
