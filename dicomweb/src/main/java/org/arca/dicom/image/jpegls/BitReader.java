package org.arca.dicom.image.jpegls;

import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;

/**
 * Reads the entropy-coded bits of one JPEG-LS scan (T.87 A.1 and 9.1). JPEG-LS does not stuff a zero byte after
 * 0xFF as JPEG does: the byte after a 0xFF carries only seven data bits, its top bit a stuffed 0. A 0xFF followed
 * by a byte with the top bit set is a marker, and ends the data this reader hands out.
 *
 * <p>Running out of data is an error, never zero padding: the encoder wrote every bit the decoder asks for, so
 * a request past the end means a truncated or damaged stream, and failing at once bounds the decoder's work by
 * the input's size.
 */
final class BitReader {
    private final byte[] data;
    private final int end;
    /** The next byte not yet in {@link #cache}. */
    private int position;
    /** Valid bits left-aligned from bit 63; every bit below them is zero. */
    private long cache;
    private int cacheBits;
    /** The last byte moved into the cache was 0xFF, so the next one holds seven data bits. */
    private boolean afterFF;
    /** {@link #position} is at a marker: nothing more to read until {@link #skipRestartMarker}. */
    private boolean atMarker;

    BitReader(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    int readBit() throws DicomFormatException {
        return readBits(1);
    }

    /** The next {@code n} bits (0 to 31) as an unsigned number, most significant first. */
    int readBits(int n) throws DicomFormatException {
        if (n == 0) {
            return 0;
        }
        if (cacheBits < n) {
            fill();
            if (cacheBits < n) {
                throw truncated();
            }
        }
        int value = (int) (cache >>> (64 - n));
        consume(n);
        return value;
    }

    /**
     * Counts 0 bits up to the next 1 bit and consumes both: the unary part of a Golomb code (T.87 A.5.3).
     *
     * @throws DicomFormatException if more than {@code most} zeros come first, which no encoder writes
     */
    int readZerosUpToOne(int most) throws DicomFormatException {
        int zeros = 0;
        while (zeros <= most) {
            if (cacheBits == 0) {
                fill();
                if (cacheBits == 0) {
                    throw truncated();
                }
            }
            if (cache == 0) {
                // Every cached bit is 0 (the bits below the valid ones are kept 0).
                zeros += cacheBits;
                cacheBits = 0;
            } else {
                int leading = Long.numberOfLeadingZeros(cache);
                zeros += leading;
                consume(leading + 1);
                if (zeros <= most) {
                    return zeros;
                }
            }
        }
        throw new DicomFormatException("JPEG-LS code of more than " + most + " leading zero bits", position, Tag.PixelData);
    }

    /**
     * Ends the current restart interval: drops the padding bits the encoder wrote to reach a byte boundary and
     * reads the restart marker that must follow (T.87 D.3).
     */
    void skipRestartMarker(int expectedIndex) throws DicomFormatException {
        cache = 0;
        cacheBits = 0;
        afterFF = false;
        atMarker = false;
        int code = markerAt(position);
        if (code < 0) {
            throw new DicomFormatException("JPEG-LS restart marker missing", position, Tag.PixelData);
        }
        if (code != 0xD0 + expectedIndex) {
            throw new DicomFormatException("JPEG-LS restart marker RST" + (code - 0xD0) + " where RST" + expectedIndex
                    + " belongs", position, Tag.PixelData);
        }
        while (data[position] == (byte) 0xFF) {
            position++;
        }
        position++;
    }

    /** Where the data after this scan resumes: the next marker at or after the bytes read so far. */
    int markerPosition() throws DicomFormatException {
        for (int p = position; p + 1 < end; p++) {
            if (markerAt(p) >= 0) {
                return p;
            }
        }
        throw new DicomFormatException("JPEG-LS stream ends inside a scan", end, Tag.PixelData);
    }

    /** The code of the marker starting at {@code p} (after any 0xFF fill bytes), or -1 if there is none. */
    private int markerAt(int p) {
        if (p >= end || data[p] != (byte) 0xFF) {
            return -1;
        }
        while (p + 1 < end && data[p + 1] == (byte) 0xFF) {
            p++;
        }
        return p + 1 < end && (data[p + 1] & 0x80) != 0 ? data[p + 1] & 0xFF : -1;
    }

    private void fill() {
        while (cacheBits <= 56 && position < end && !atMarker) {
            int b = data[position] & 0xFF;
            if (afterFF) {
                if ((b & 0x80) != 0) {
                    // No encoder writes this (a 0xFF that starts a marker is not taken as data): the data ends here,
                    // and a read beyond it fails as truncated.
                    atMarker = true;
                    return;
                }
                cache |= (long) b << (57 - cacheBits);
                cacheBits += 7;
            } else {
                if (b == 0xFF && markerAt(position) >= 0) {
                    atMarker = true;
                    return;
                }
                cache |= (long) b << (56 - cacheBits);
                cacheBits += 8;
            }
            afterFF = b == 0xFF;
            position++;
        }
    }

    private void consume(int n) {
        cache = n == 64 ? 0 : cache << n;
        cacheBits -= n;
    }

    private DicomFormatException truncated() {
        return new DicomFormatException("JPEG-LS scan data ends before its last sample", position, Tag.PixelData);
    }
}
