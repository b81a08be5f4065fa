package org.arca.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.VR;

/**
 * A synthetic CT series written with Arca's codec: slices whose pixels are 0 or 1000 HU (stored with intercept
 * -1024) in random blobs, positioned along z in the reverse of their instance numbers, so ordering by position
 * and ordering by number differ.
 */
final class TestSeries {
    static final int ROWS = 24;
    static final int COLUMNS = 32;

    final String studyUid;
    final String seriesUid;
    final List<String> sopUids = new ArrayList<>();
    /** Per slice in position order: 1 where the pixel is bright. */
    final List<byte[]> bright = new ArrayList<>();
    final List<byte[]> files = new ArrayList<>();

    TestSeries(String root, int slices, String modality, long seed) {
        this(root, slices, modality, seed, (slice, ds) -> { });
    }

    /**
     * The same, with {@code tweak} given each slice's dataset (its index in position order, then the dataset with
     * its pixels) before it is written: to make a series that is not quite a volume.
     */
    TestSeries(String root, int slices, String modality, long seed, java.util.function.BiConsumer<Integer, Attributes> tweak) {
        studyUid = root + ".1";
        seriesUid = root + ".1.1";
        Random random = new Random(seed);
        for (int s = 0; s < slices; s++) {
            byte[] mask = new byte[ROWS * COLUMNS];
            for (int blob = 0; blob < 4; blob++) {
                int cx = random.nextInt(COLUMNS);
                int cy = random.nextInt(ROWS);
                int r = 2 + random.nextInt(4);
                for (int y = 0; y < ROWS; y++) {
                    for (int x = 0; x < COLUMNS; x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                            mask[y * COLUMNS + x] = 1;
                        }
                    }
                }
            }
            for (int i = 0; i < 20; i++) {
                mask[random.nextInt(mask.length)] ^= 1; // single-pixel noise the filter must drop
            }
            String sop = seriesUid + "." + (s + 1);
            sopUids.add(sop);
            bright.add(mask);
            files.add(instance(sop, modality, slices - s, s * 2.5, mask, s, tweak));
        }
    }

    private byte[] instance(String sop, String modality, int instanceNumber, double z, byte[] mask, int slice,
                            java.util.function.BiConsumer<Integer, Attributes> tweak) {
        Attributes ds = TestDicom.instance("1.2.840.10008.5.1.4.1.1.2", studyUid, seriesUid, sop, instanceNumber);
        ds.setString(Tag.StudyDate, VR.DA, "20260101");
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.PatientName, VR.PN, "Phantom^AI");
        ds.setString(Tag.PatientID, VR.LO, "AI-1");
        ds.setString(0x00200052, VR.UI, studyUid + ".9"); // FrameOfReferenceUID
        ds.setString(SeriesOrder.IMAGE_POSITION_PATIENT, VR.DS, "0", "0", Double.toString(z));
        ds.setString(SeriesOrder.IMAGE_ORIENTATION_PATIENT, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(0x00280030, VR.DS, "0.5", "0.5"); // PixelSpacing
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        byte[] pixels = new byte[ROWS * COLUMNS * 2];
        for (int i = 0; i < mask.length; i++) {
            int stored = mask[i] == 1 ? 2024 : 1024;
            pixels[2 * i] = (byte) stored;
            pixels[2 * i + 1] = (byte) (stored >> 8);
        }
        TestDicom.monochrome12(ds, ROWS, COLUMNS, pixels);
        tweak.accept(slice, ds);
        return TestDicom.part10(ds);
    }

    /** The box filter's answer computed here, independently of ONNX Runtime: at least 5 of 9 neighbours bright. */
    static byte[] expectedMask(byte[] bright) {
        int[] counts = brightNeighbours(bright);
        byte[] out = new byte[bright.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (counts[i] >= 5 ? 1 : 0);
        }
        return out;
    }

    /** Per pixel, how many of its 3 × 3 neighbours (itself included, none outside the frame) are bright. */
    static int[] brightNeighbours(byte[] bright) {
        int[] out = new int[bright.length];
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS; x++) {
                int count = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < ROWS && xx >= 0 && xx < COLUMNS) {
                            count += bright[yy * COLUMNS + xx];
                        }
                    }
                }
                out[y * COLUMNS + x] = count;
            }
        }
        return out;
    }

    /** Bounding boxes "x0,y0,x1,y1" (x1, y1 exclusive) of the 4-connected regions of a mask, found here by flood fill. */
    static List<String> regions(byte[] mask) {
        int w = TestSeries.COLUMNS;
        int h = TestSeries.ROWS;
        boolean[] seen = new boolean[mask.length];
        List<String> boxes = new ArrayList<>();
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] == 0 || seen[start]) {
                continue;
            }
            int x0 = w;
            int y0 = h;
            int x1 = 0;
            int y1 = 0;
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(start));
            seen[start] = true;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int x = p % w;
                int y = p / w;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x + 1);
                y1 = Math.max(y1, y + 1);
                for (int[] d : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                    int nx = x + d[0];
                    int ny = y + d[1];
                    if (nx >= 0 && nx < w && ny >= 0 && ny < h && mask[ny * w + nx] == 1 && !seen[ny * w + nx]) {
                        seen[ny * w + nx] = true;
                        queue.add(ny * w + nx);
                    }
                }
            }
            boxes.add(x0 + "," + y0 + "," + x1 + "," + y1);
        }
        return boxes;
    }
}
