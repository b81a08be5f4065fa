package org.arca.dicom.image.jpegls;

import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;

/**
 * Limited-length Golomb codes (T.87 A.5.3): a unary prefix and k bits, or, after {@code limit - qbpp - 1}
 * zeros, the escape: the value minus one in qbpp bits.
 */
final class GolombDecoder {
    private final BitReader bits;
    private final int qbpp;
    /**
     * Largest mapped error value a valid stream holds: every error is reduced modulo RANGE before coding, so the
     * mapped value stays near RANGE. A larger one is damage, and refusing it keeps the context sums in range.
     */
    private final int largestValue;

    GolombDecoder(BitReader bits, CodingParameters parameters) {
        this.bits = bits;
        this.qbpp = parameters.qbpp();
        this.largestValue = 2 * parameters.range();
    }

    /** One mapped error value coded with parameter k and code length limit {@code limit}. */
    int decode(int k, int limit) throws DicomFormatException {
        int escapeAfter = limit - qbpp - 1;
        int prefix = bits.readZerosUpToOne(escapeAfter);
        int value = prefix < escapeAfter ? (prefix << k) + bits.readBits(k) : bits.readBits(qbpp) + 1;
        if (value > largestValue) {
            throw new DicomFormatException("JPEG-LS error value " + value + " is beyond the sample range", -1, Tag.PixelData);
        }
        return value;
    }
}
