package org.arca.dicom.image.jpeg;

/**
 * Reads the bits of one scan's entropy-coded data (T.81 B.1.1.5, F.1.2.3): most significant bit first, a 0x00
 * byte after each 0xFF removed, stopping at the first marker. Past a marker or the end of the data it reads
 * zero bits, as libjpeg does, but fewer than a byte's worth: a well-formed scan never needs them (its last byte is
 * padded with one-bits), and zero bits decode as valid codes of most tables, so a scan that reads more of them is
 * cut short and would otherwise end in silently invented blocks.
 */
final class EntropyReader {
    /** Bits a scan may read past its end: slack for an encoder that did not flush its last partial byte. */
    private static final int MAX_INVENTED_BITS = 7;

    private final byte[] data;
    private int position;
    private long buffer;
    private int buffered;
    /** How many of the buffered bits (always the last ones) were invented past the end of the data. */
    private int inventedBuffered;
    private int inventedRead;
    private boolean atMarker;

    EntropyReader(byte[] data, int position) {
        this.data = data;
        this.position = position;
    }

    /** Offset of the next byte not yet buffered. */
    int position() {
        return position;
    }

    /** The next {@code n} bits (1 to 16) without reading them. */
    int peek(int n) throws JpegFormatException {
        if (buffered < n) {
            fill();
        }
        return (int) (buffer >>> (buffered - n)) & ((1 << n) - 1);
    }

    void skip(int n) throws JpegFormatException {
        buffered -= n;
        if (buffered < inventedBuffered) {
            inventedRead += inventedBuffered - buffered;
            inventedBuffered = buffered;
            if (inventedRead > MAX_INVENTED_BITS) {
                throw new JpegFormatException("entropy-coded data ends before the scan does", position);
            }
        }
    }

    int bits(int n) throws JpegFormatException {
        int v = peek(n);
        skip(n);
        return v;
    }

    /** T.81 F.2.2.1 RECEIVE and EXTEND: {@code size} bits as a signed value of that magnitude category. */
    int receiveExtend(int size) throws JpegFormatException {
        if (size == 0) {
            return 0;
        }
        int v = bits(size);
        return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
    }

    /**
     * Ends a restart interval (T.81 F.2.1.3.1): the rest of the current byte is padding, and the restart marker
     * with the expected number must come next.
     */
    void restart(int expected) throws JpegFormatException {
        buffered = 0;
        inventedBuffered = 0;
        atMarker = false;
        int marker = MarkerReader.findMarker(data, position);
        if (marker < 0 || (data[marker + 1] & 0xFF) != 0xD0 + expected) {
            throw new JpegFormatException("restart marker RST" + expected + " missing", marker < 0 ? data.length : marker);
        }
        position = marker + 2;
    }

    private void fill() {
        while (buffered <= 48) {
            int b = 0;
            if (!atMarker && position < data.length) {
                b = data[position] & 0xFF;
                if (b != 0xFF) {
                    position++;
                } else if (position + 1 < data.length && data[position + 1] == 0) {
                    position += 2; // stuffed zero byte
                } else {
                    atMarker = true; // the marker is left for the caller
                    b = 0;
                }
            } else {
                atMarker = true;
            }
            if (atMarker) {
                inventedBuffered += 8;
            }
            buffer = buffer << 8 | b;
            buffered += 8;
        }
    }
}
