package org.arca.dicom.image.jpegls;

import java.util.Arrays;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;

/**
 * Run mode (T.87 A.7): entered where all local gradients are flat; a run of samples equal to the one on the
 * left is coded by its length in adaptive blocks of 2^J[RUNindex], and the sample that ends a run short of the
 * line's end (the run interruption sample) is coded in one of two contexts of its own.
 *
 * <p>The statistics of the two interruption contexts are shared by a scan's components. RUNindex is kept per
 * component: in a line-interleaved scan each component's lines adapt their run lengths separately.
 */
final class RunMode {
    /** J: the order of the run-length blocks at each RUNindex (T.87 A.7.1.1). */
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10,
            11, 12, 13, 14, 15};

    private final CodingParameters parameters;
    private final GolombDecoder golomb;
    private final BitReader bits;
    private final int[] runIndex;
    /** Per interruption type (0: left and above differ, 1: they are equal within NEAR): A, N and Nn. */
    private final long[] a = new long[2];
    private final int[] n = new int[2];
    private final int[] negatives = new int[2];

    RunMode(CodingParameters parameters, GolombDecoder golomb, BitReader bits, int components) {
        this.parameters = parameters;
        this.golomb = golomb;
        this.bits = bits;
        this.runIndex = new int[components];
        reset();
    }

    void reset() {
        Arrays.fill(runIndex, 0);
        Arrays.fill(a, Math.max(2, (parameters.range() + 32) / 64));
        Arrays.fill(n, 1);
        Arrays.fill(negatives, 0);
    }

    /**
     * The length of a run starting at a position with {@code remaining} samples left in the line, 0 to
     * {@code remaining} (T.87 A.7.1.2 for the decoder). A run shorter than {@code remaining} is followed by an
     * interruption sample. A run that reaches the line's end is coded with 1 bits; one that reaches it through the
     * remainder count is accepted too, as CharLS does.
     */
    int runLength(int component, int remaining) throws DicomFormatException {
        int length = 0;
        while (bits.readBit() == 1) {
            int block = 1 << J[runIndex[component]];
            int count = Math.min(block, remaining - length);
            length += count;
            if (count == block && runIndex[component] < J.length - 1) {
                runIndex[component]++;
            }
            if (length == remaining) {
                return length;
            }
        }
        length += bits.readBits(J[runIndex[component]]);
        if (length > remaining) {
            throw new DicomFormatException("JPEG-LS run of " + length + " samples where " + remaining + " are left",
                    -1, Tag.PixelData);
        }
        return length;
    }

    /**
     * The interruption sample of a single-component run, from its neighbours left (a) and above (b)
     * (T.87 A.7.2). Lowers the component's RUNindex afterwards, as the end of an interrupted run does.
     */
    int interruption(int component, int ra, int rb) throws DicomFormatException {
        int value;
        if (Math.abs(ra - rb) <= parameters.near()) {
            value = parameters.reconstruct(ra, decodeError(1, component));
        } else {
            int errorValue = decodeError(0, component);
            value = parameters.reconstruct(rb, ra > rb ? -errorValue : errorValue);
        }
        lowerRunIndex(component);
        return value;
    }

    /**
     * One component of the interruption pixel of a sample-interleaved run: predicted from above, always in
     * the context of type 0, the error's sign following b - a (T.87 A.7.2 as CharLS and DCMTK code it).
     */
    int interruptionOfInterleaved(int ra, int rb) throws DicomFormatException {
        int errorValue = decodeError(0, 0);
        return parameters.reconstruct(rb, ra > rb ? -errorValue : errorValue);
    }

    void lowerRunIndex(int component) {
        if (runIndex[component] > 0) {
            runIndex[component]--;
        }
    }

    /** Decodes and accounts one interruption error of type 0 or 1 (T.87 A.7.2.2 to A.7.2.4, decoder side). */
    private int decodeError(int type, int component) throws DicomFormatException {
        long temp = type == 0 ? a[type] : a[type] + (n[type] >> 1);
        int k = RegularMode.golombParameter(temp, n[type]);
        int mapped = golomb.decode(k, parameters.limit() - J[runIndex[component]] - 1);
        int total = mapped + type;
        boolean odd = (total & 1) != 0;
        int magnitude = (total + (odd ? 1 : 0)) / 2;
        // The encoder's map bit: negative errors are odd unless k is 0 and negatives are the rarer sign.
        boolean negativeWhenOdd = k != 0 || 2 * negatives[type] >= n[type];
        int errorValue = odd == negativeWhenOdd ? -magnitude : magnitude;
        if (errorValue < 0) {
            negatives[type]++;
        }
        a[type] += (mapped + 1 - type) >> 1;
        if (n[type] == parameters.reset()) {
            a[type] >>= 1;
            n[type] >>= 1;
            negatives[type] >>= 1;
        }
        n[type]++;
        return errorValue;
    }
}
