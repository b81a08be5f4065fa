package org.arca.dicom.image.jpeg;

/**
 * The 8 x 8 inverse DCT of T.81 A.3.3, computed directly in double precision as two passes of 1-D transforms,
 * then rounded, level-shifted and clamped to the sample range (T.81 A.3.1).
 *
 * <p>Why not a fast integer IDCT: computing the defining sum in doubles is as exact as a block of samples can be
 * (its error is far below half a sample), so the output is the correctly rounded IDCT. Other decoders' IDCTs
 * (libjpeg's, hence DCMTK's) are approximations within IEEE 1180's bounds of this one, which is what the tests
 * measure against. Cost is 1024 multiplications per block, less for the common blocks whose high rows are zero.
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
    /** Which coefficient row each of {@link #rows}' rows came from. */
    private final int[] used = new int[8];
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
            short value = clamp(Math.floor(coefficients[0] / 8 + 0.5) + levelShift);
            for (int y = 0; y < 8; y++) {
                java.util.Arrays.fill(plane, offset + y * stride, offset + y * stride + 8, value);
            }
            return;
        }
        // Horizontal pass: each row v of coefficients to 8 values across x. Rows of zeros (most high-frequency
        // rows, after quantisation) contribute nothing and are left out of both passes.
        int nonZeroRows = 0;
        for (int v = 0; v < 8; v++) {
            int base = v * 8;
            boolean zero = true;
            for (int u = 0; u < 8 && zero; u++) {
                zero = coefficients[base + u] == 0;
            }
            if (zero) {
                continue;
            }
            for (int x = 0; x < 8; x++) {
                double sum = 0;
                for (int u = 0; u < 8; u++) {
                    sum += COS[x * 8 + u] * coefficients[base + u];
                }
                rows[nonZeroRows * 8 + x] = sum;
            }
            used[nonZeroRows++] = v;
        }
        // Vertical pass: each column x of the rows to 8 samples down y.
        for (int y = 0; y < 8; y++) {
            int out = offset + y * stride;
            for (int x = 0; x < 8; x++) {
                double sum = 0;
                for (int k = 0; k < nonZeroRows; k++) {
                    sum += COS[y * 8 + used[k]] * rows[k * 8 + x];
                }
                plane[out + x] = clamp(Math.floor(sum + 0.5) + levelShift);
            }
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

    /** Samples are at most 12 bits, so a short holds them and halves the memory of a decoded frame's planes. */
    private short clamp(double v) {
        return (short) (v < 0 ? 0 : v > maxSample ? maxSample : (int) v);
    }
}
