package org.arca.dicom.image.jpeg;

import java.util.Arrays;

/**
 * The 8 x 8 inverse DCT of T.81 A.3.3, computed from its definition in double precision as two passes of 1-D
 * transforms, then rounded, level-shifted and clamped to the sample range (T.81 A.3.1).
 *
 * <p>Why not a fast integer IDCT: the defining sum in doubles is as exact as a block of samples can be (its error
 * is far below half a sample), so the output is the correctly rounded IDCT. Other decoders' IDCTs (libjpeg's,
 * hence DCMTK's) are approximations within IEEE 1180's bounds of this one, which is what the tests measure
 * against. Each 1-D transform uses the cosines' symmetry (even-numbered terms are the same for x and 7 - x,
 * odd-numbered ones change sign) to take 32 multiplications rather than 64; rows of zero coefficients, most of
 * the high-frequency rows after quantisation, are skipped.
 */
final class InverseDct {
    /** COS[x * 8 + u] = C(u) / 2 * cos((2x + 1) u pi / 16), with C(0) = 1 / sqrt(2) and C(u) = 1 otherwise. */
    private static final double[] COS = new double[64];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? 1 / Math.sqrt(2) : 1;
                COS[x * 8 + u] = c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    private final double[] rows = new double[64];
    private final double[] column = new double[8];
    private final int levelShift;
    private final int maxSample;

    InverseDct(int precision) {
        levelShift = 1 << (precision - 1);
        maxSample = (1 << precision) - 1;
    }

    /**
     * Transforms dequantised coefficients (natural order, row-major: {@code coefficients[v * 8 + u]}) into samples
     * written to {@code plane} at {@code offset}, {@code stride} samples per line.
     */
    void transform(double[] coefficients, short[] plane, int offset, int stride) {
        if (onlyDc(coefficients)) {
            short value = clamp(coefficients[0] / 8);
            for (int y = 0; y < 8; y++) {
                Arrays.fill(plane, offset + y * stride, offset + y * stride + 8, value);
            }
            return;
        }
        // Horizontal pass: each row v of coefficients to 8 values across x.
        for (int v = 0; v < 8; v++) {
            int base = v * 8;
            boolean zero = true;
            for (int u = 0; u < 8 && zero; u++) {
                zero = coefficients[base + u] == 0;
            }
            if (zero) {
                Arrays.fill(rows, base, base + 8, 0);
            } else {
                oneDimension(coefficients, base, 1, rows, base, 1);
            }
        }
        // Vertical pass: each column x of the rows to 8 samples down y.
        for (int x = 0; x < 8; x++) {
            oneDimension(rows, x, 8, column, 0, 1);
            for (int y = 0; y < 8; y++) {
                plane[offset + y * stride + x] = clamp(column[y]);
            }
        }
    }

    /** The 8-point IDCT of {@code in[from + k * step]}, k = 0..7, into {@code out[to + x * outStep]}. */
    private static void oneDimension(double[] in, int from, int step, double[] out, int to, int outStep) {
        double f0 = in[from];
        double f1 = in[from + step];
        double f2 = in[from + 2 * step];
        double f3 = in[from + 3 * step];
        double f4 = in[from + 4 * step];
        double f5 = in[from + 5 * step];
        double f6 = in[from + 6 * step];
        double f7 = in[from + 7 * step];
        for (int x = 0; x < 4; x++) {
            int c = x * 8;
            double even = COS[c] * f0 + COS[c + 2] * f2 + COS[c + 4] * f4 + COS[c + 6] * f6;
            double odd = COS[c + 1] * f1 + COS[c + 3] * f3 + COS[c + 5] * f5 + COS[c + 7] * f7;
            out[to + x * outStep] = even + odd;
            out[to + (7 - x) * outStep] = even - odd;
        }
    }

    private static boolean onlyDc(double[] c) {
        for (int i = 1; i < 64; i++) {
            if (c[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rounds (halves up), level-shifts and clamps one sample. Samples are at most 12 bits, so a short holds them
     * and halves the memory of a decoded frame's planes.
     */
    private short clamp(double v) {
        long s = Math.round(v) + levelShift;
        return (short) (s < 0 ? 0 : s > maxSample ? maxSample : s);
    }
}
