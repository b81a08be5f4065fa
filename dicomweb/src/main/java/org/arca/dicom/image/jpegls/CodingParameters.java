package org.arca.dicom.image.jpegls;

/**
 * The numbers one scan is coded with (T.87 A.2 and C.2.4.1.1): the sample range, the near-lossless bound, the
 * gradient thresholds and the context reset interval, with what follows from them.
 *
 * @param maxVal largest sample value
 * @param near   largest difference a sample may have from its original (0 for lossless)
 * @param t1     first gradient threshold; t2 and t3 the next
 * @param reset  how many samples a context counts before its statistics are halved
 */
record CodingParameters(int maxVal, int near, int t1, int t2, int t3, int reset) {
    private static final int BASIC_T1 = 3;
    private static final int BASIC_T2 = 7;
    private static final int BASIC_T3 = 21;
    static final int DEFAULT_RESET = 64;

    /**
     * The parameters of a scan: those a preset-parameters (LSE) segment gave, where it gave them (non-zero), else
     * the defaults of T.87 C.2.4.1.1 for the precision and NEAR.
     */
    static CodingParameters of(int precision, int near, PresetParameters preset) {
        int maxVal = preset.maxVal() != 0 ? preset.maxVal() : (1 << precision) - 1;
        int t1;
        int t2;
        int t3;
        if (maxVal >= 128) {
            int factor = (Math.min(maxVal, 4095) + 128) / 256;
            t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, maxVal);
            t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, maxVal);
            t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, maxVal);
        } else {
            int factor = 256 / (maxVal + 1);
            t1 = clamp(Math.max(2, BASIC_T1 / factor + 3 * near), near + 1, maxVal);
            t2 = clamp(Math.max(3, BASIC_T2 / factor + 5 * near), t1, maxVal);
            t3 = clamp(Math.max(4, BASIC_T3 / factor + 7 * near), t2, maxVal);
        }
        return new CodingParameters(maxVal, near,
                preset.t1() != 0 ? preset.t1() : t1,
                preset.t2() != 0 ? preset.t2() : t2,
                preset.t3() != 0 ? preset.t3() : t3,
                preset.reset() != 0 ? preset.reset() : DEFAULT_RESET);
    }

    /** T.87's CLAMP: a threshold outside {@code low..maxVal} falls back to {@code low}. */
    private static int clamp(int value, int low, int maxVal) {
        return value > maxVal || value < low ? low : value;
    }

    /** How many quantized error values there are (T.87 A.2.1). */
    int range() {
        return (maxVal + 2 * near) / (2 * near + 1) + 1;
    }

    /** Bits of a quantized error value: ceil(log2(RANGE)). */
    int qbpp() {
        return ceilLog2(range());
    }

    /** The longest Golomb code word (T.87 A.2.1): 2 × (bpp + max(8, bpp)). */
    int limit() {
        int bpp = Math.max(2, ceilLog2(maxVal + 1));
        return 2 * (bpp + Math.max(8, bpp));
    }

    /** The error step: a quantized error of 1 is a difference of 2 × NEAR + 1. */
    int step() {
        return 2 * near + 1;
    }

    /** Region number of one local gradient, -4 to 4 (T.87 A.3.3). */
    int quantizeGradient(int d) {
        if (d <= -t3) {
            return -4;
        }
        if (d <= -t2) {
            return -3;
        }
        if (d <= -t1) {
            return -2;
        }
        if (d < -near) {
            return -1;
        }
        if (d <= near) {
            return 0;
        }
        if (d < t1) {
            return 1;
        }
        if (d < t2) {
            return 2;
        }
        if (d < t3) {
            return 3;
        }
        return 4;
    }

    /**
     * A sample from its prediction and decoded error: modulo reduction undone, then clamped to 0..MAXVAL
     * (T.87 A.4.5 for the decoder).
     */
    int reconstruct(int predicted, int errorValue) {
        int value = predicted + errorValue * step();
        int wrap = range() * step();
        if (value < -near) {
            value += wrap;
        } else if (value > maxVal + near) {
            value -= wrap;
        }
        return Math.max(0, Math.min(maxVal, value));
    }

    private static int ceilLog2(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
