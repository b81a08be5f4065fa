package org.arca.dicom.image.jpeg;

/**
 * Full-range YCbCr to RGB (ITU-T T.871 section 7, the equations JFIF and DICOM's YBR_FULL share), for any sample
 * precision: the chroma offset is half the range, 128 for 8 bits and 2048 for 12.
 */
public final class YCbCr {
    private YCbCr() {
    }

    /** Converts interleaved Y, Cb, Cr samples in place to R, G, B. */
    public static void toRgb(int[] samples, int precision) {
        int center = 1 << (precision - 1);
        int max = (1 << precision) - 1;
        for (int i = 0; i + 2 < samples.length; i += 3) {
            double y = samples[i];
            double cb = samples[i + 1] - center;
            double cr = samples[i + 2] - center;
            samples[i] = clamp(y + 1.402 * cr, max);
            samples[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr, max);
            samples[i + 2] = clamp(y + 1.772 * cb, max);
        }
    }

    private static int clamp(double v, int max) {
        double r = Math.floor(v + 0.5);
        return r < 0 ? 0 : r > max ? max : (int) r;
    }
}
