package org.arca.dicom.image.jpegls;

import java.util.Arrays;
import org.arca.dicom.DicomFormatException;

/**
 * Regular-mode decoding (T.87 A.3 to A.6): the 365 contexts a sample's three quantized gradients select, each
 * with its error statistics (A: sum of magnitudes, B: bias, C: correction, N: count), the prediction, its
 * correction, the Golomb parameter they give and the update after each sample.
 *
 * <p>One instance serves every component of a scan: T.87 shares the contexts between the components of an
 * interleaved scan.
 */
final class RegularMode {
    private static final int CONTEXTS = 365;
    private static final int MIN_C = -128;
    private static final int MAX_C = 127;

    private final CodingParameters parameters;
    private final GolombDecoder golomb;
    private final int limit;
    private final long[] a = new long[CONTEXTS];
    private final int[] b = new int[CONTEXTS];
    private final int[] c = new int[CONTEXTS];
    private final int[] n = new int[CONTEXTS];

    RegularMode(CodingParameters parameters, GolombDecoder golomb) {
        this.parameters = parameters;
        this.golomb = golomb;
        this.limit = parameters.limit();
        reset();
    }

    /** Initial statistics (T.87 A.2.1), at the start of a scan and after each restart marker. */
    void reset() {
        int initialA = Math.max(2, (parameters.range() + 32) / 64);
        Arrays.fill(a, initialA);
        Arrays.fill(b, 0);
        Arrays.fill(c, 0);
        Arrays.fill(n, 1);
    }

    /**
     * The context number of three quantized gradients, signed: 81 Q1 + 9 Q2 + Q3. Zero means all three are flat
     * (run mode); a negative number is the context of the negated gradients, decoded with the error negated.
     */
    static int context(int q1, int q2, int q3) {
        return 81 * q1 + 9 * q2 + q3;
    }

    /** Decodes the sample at a position whose neighbours are a (left), b (above), c (above left). */
    int decode(int signedContext, int ra, int rb, int rc) throws DicomFormatException {
        int sign = signedContext < 0 ? -1 : 1;
        int q = Math.abs(signedContext);
        int predicted = clampToRange(predict(ra, rb, rc) + sign * c[q]);
        int k = golombParameter(a[q], n[q]);
        int mapped = golomb.decode(k, limit);
        int errorValue = unmap(mapped, parameters.near() == 0 && k == 0 && 2 * b[q] <= -n[q]);
        update(q, errorValue);
        return parameters.reconstruct(predicted, sign * errorValue);
    }

    /** The median edge detector (T.87 A.4.1). */
    private static int predict(int ra, int rb, int rc) {
        if (rc >= Math.max(ra, rb)) {
            return Math.min(ra, rb);
        }
        if (rc <= Math.min(ra, rb)) {
            return Math.max(ra, rb);
        }
        return ra + rb - rc;
    }

    private int clampToRange(int predicted) {
        return Math.max(0, Math.min(parameters.maxVal(), predicted));
    }

    /** The smallest k with N × 2^k at least A (T.87 A.5.1). */
    static int golombParameter(long sum, int count) {
        int k = 0;
        while (((long) count << k) < sum) {
            k++;
        }
        return k;
    }

    /**
     * Mapped error value back to a signed one (T.87 A.5.2). When k is 0 and the context is biased negative, the
     * encoder swapped the order of positive and negative values, which {@code swapped} undoes.
     */
    private static int unmap(int mapped, boolean swapped) {
        boolean odd = (mapped & 1) != 0;
        if (swapped) {
            return odd ? (mapped - 1) / 2 : -(mapped / 2) - 1;
        }
        return odd ? -((mapped + 1) / 2) : mapped / 2;
    }

    /** Context update and bias correction (T.87 A.6.1 and A.6.2). */
    private void update(int q, int errorValue) {
        b[q] += errorValue * parameters.step();
        a[q] += Math.abs(errorValue);
        if (n[q] == parameters.reset()) {
            a[q] >>= 1;
            b[q] >>= 1;
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] <= -n[q]) {
            b[q] += n[q];
            if (c[q] > MIN_C) {
                c[q]--;
            }
            if (b[q] <= -n[q]) {
                b[q] = -n[q] + 1;
            }
        } else if (b[q] > 0) {
            b[q] -= n[q];
            if (c[q] < MAX_C) {
                c[q]++;
            }
            if (b[q] > 0) {
                b[q] = 0;
            }
        }
    }
}
