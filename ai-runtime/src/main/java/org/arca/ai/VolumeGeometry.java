package org.arca.ai;

import java.util.List;
import java.util.Locale;
import org.arca.core.ArcaException;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;

/**
 * The grid of a series taken as one volume: its size and its voxel spacing (rows and columns from PixelSpacing,
 * slices from their distance along the normal of the image plane). Built only from a series that is a volume:
 * single-frame slices in one orientation, of one size and pixel spacing, at least two, evenly spaced; anything
 * else is refused with a sentence that says which, since a model fed a skewed grid answers wrongly without
 * saying so.
 *
 * @param rowSpacing    mm between rows, {@code NaN} where the series has no PixelSpacing
 * @param columnSpacing mm between columns, likewise
 * @param sliceSpacing  mm between slices along the normal
 */
record VolumeGeometry(int depth, int rows, int columns, double rowSpacing, double columnSpacing, double sliceSpacing) {
    /** Orientation cosines and pixel spacings that differ by less than this are the same. */
    private static final double SAME = 1e-4;
    /** How far a slice distance may stray from their mean, as a share of it: rounding in positions, no more. */
    static final double SPACING_TOLERANCE = 0.01;
    private static final int PIXEL_SPACING = 0x00280030;
    /** What a voxel of a one-channel volume costs a worker; see {@link #requireFits}. */
    static final int BYTES_PER_VOXEL = 20;

    /** The geometry of {@code slices}, already in volume order (see {@link SeriesOrder}). */
    static VolumeGeometry of(List<Attributes> slices) {
        if (slices.size() < 2) {
            throw refuse("A volume needs at least 2 slices; the series has " + slices.size() + ".");
        }
        Attributes first = slices.get(0);
        int rows = first.getInt(Tag.Rows, 0);
        int columns = first.getInt(Tag.Columns, 0);
        double[] orientation = first.doubles(SeriesOrder.IMAGE_ORIENTATION_PATIENT);
        double[] pixelSpacing = first.doubles(PIXEL_SPACING);
        for (Attributes s : slices) {
            if (s.getInt(Tag.NumberOfFrames, 1) > 1) {
                throw refuse("The series holds a multi-frame instance; a volume is built from single-frame slices.");
            }
            if (s.getInt(Tag.Rows, 0) != rows || s.getInt(Tag.Columns, 0) != columns) {
                throw refuse("The series mixes slice sizes (" + columns + "×" + rows + " and " + s.getInt(Tag.Columns, 0)
                        + "×" + s.getInt(Tag.Rows, 0) + "); a volume needs one.");
            }
            if (s.doubles(SeriesOrder.IMAGE_POSITION_PATIENT).length != 3 || s.doubles(SeriesOrder.IMAGE_ORIENTATION_PATIENT).length != 6) {
                throw refuse("A slice has no ImagePositionPatient or ImageOrientationPatient; a volume needs both on every slice.");
            }
            if (!same(orientation, s.doubles(SeriesOrder.IMAGE_ORIENTATION_PATIENT))) {
                throw refuse("The series mixes slice orientations; a volume needs one.");
            }
            if (!same(pixelSpacing, s.doubles(PIXEL_SPACING))) {
                throw refuse("The series mixes pixel spacings; a volume needs one.");
            }
        }
        double[] distances = new double[slices.size() - 1];
        double sum = 0;
        for (int i = 0; i < distances.length; i++) {
            distances[i] = SeriesOrder.alongNormal(slices.get(i + 1)) - SeriesOrder.alongNormal(slices.get(i));
            sum += distances[i];
        }
        double mean = sum / distances.length;
        double least = java.util.Arrays.stream(distances).min().orElseThrow();
        double most = java.util.Arrays.stream(distances).max().orElseThrow();
        if (least <= SAME) {
            throw refuse("Two slices of the series lie at the same position; a volume needs one slice per position.");
        }
        if (most - mean > SPACING_TOLERANCE * mean || mean - least > SPACING_TOLERANCE * mean) {
            throw refuse(String.format(Locale.ROOT, "The slices are not evenly spaced (%.3g to %.3g mm apart); a volume "
                    + "needs one spacing, within %d%%.", least, most, Math.round(SPACING_TOLERANCE * 100)));
        }
        boolean spaced = pixelSpacing.length == 2;
        return new VolumeGeometry(slices.size(), rows, columns, spaced ? pixelSpacing[0] : Double.NaN,
                spaced ? pixelSpacing[1] : Double.NaN, mean);
    }

    /**
     * The tensor's {depth, height, width}: the manifest's fixed size, or the extent of the series divided by the
     * manifest's spacing (x, y, z), rounded, or the series' own grid.
     */
    int[] target(ModelManifest.InputSpec in) {
        if (in.width() > 0) {
            return new int[] {in.depth(), in.height(), in.width()};
        }
        if (in.spacing().isEmpty()) {
            return new int[] {depth, rows, columns};
        }
        if (Double.isNaN(rowSpacing)) {
            throw refuse("The series has no PixelSpacing, so it cannot be resampled to a spacing in mm.");
        }
        return new int[] {steps(depth * sliceSpacing, in.spacing().get(2)), steps(rows * rowSpacing, in.spacing().get(1)),
                steps(columns * columnSpacing, in.spacing().get(0))};
    }

    /**
     * Refuses a tensor of {@code size} voxels that would not fit in a worker that may use {@code bytes}: the worker
     * holds the volume as the file's bytes, as floats, as ONNX Runtime's copy, and its output likewise, about
     * {@link #BYTES_PER_VOXEL} bytes a voxel for a one-channel model.
     */
    static void requireFits(int[] size, long bytes) {
        // In double first: three sides of up to 2^31 overflow a long.
        double voxels = (double) size[0] * size[1] * size[2];
        double needed = voxels * BYTES_PER_VOXEL;
        if (voxels > Integer.MAX_VALUE / 4 || needed > bytes) {
            throw ArcaException.invalid("volume_too_large", String.format(Locale.ROOT, "The volume would be %d×%d×%d "
                    + "voxels (about %d MB in the worker); a run of this model may use %d MB. Resample it to a coarser "
                    + "spacing or a smaller size.", size[2], size[1], size[0], (long) (needed / (1 << 20)), bytes >> 20));
        }
    }

    private static int steps(double extent, double spacing) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(extent / spacing)));
    }

    private static boolean same(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > SAME * Math.max(1, Math.abs(a[i]))) {
                return false;
            }
        }
        return true;
    }

    private static ArcaException refuse(String message) {
        return ArcaException.invalid("not_a_volume", message);
    }
}
