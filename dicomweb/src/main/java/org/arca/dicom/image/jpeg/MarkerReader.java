package org.arca.dicom.image.jpeg;

/**
 * Walks the marker segments of a JPEG stream (T.81 B.1.1.2 to B.1.1.4): a marker is 0xFF followed by a code,
 * any number of 0xFF fill bytes may come before it, and most markers start a segment whose first two bytes give
 * its length (themselves included). Every read is bounds-checked, so a stream cut short fails with a
 * {@link JpegFormatException} naming the offset.
 */
final class MarkerReader {
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int DQT = 0xDB;
    static final int DNL = 0xDC;
    static final int DRI = 0xDD;
    static final int DHT = 0xC4;
    static final int DAC = 0xCC;
    static final int RST0 = 0xD0;
    static final int RST7 = 0xD7;

    private final byte[] data;
    private int position;

    MarkerReader(byte[] data) {
        this.data = data;
    }

    int position() {
        return position;
    }

    void seek(int offset) {
        position = offset;
    }

    boolean atEnd() {
        return position >= data.length;
    }

    /** The code of the marker at the current position, after any fill bytes; the position moves past it. */
    int nextMarker() throws JpegFormatException {
        if (position >= data.length || (data[position] & 0xFF) != 0xFF) {
            throw new JpegFormatException("marker expected", position);
        }
        while (position < data.length && (data[position] & 0xFF) == 0xFF) {
            position++;
        }
        if (position >= data.length) {
            throw new JpegFormatException("stream ends inside a marker", position);
        }
        return data[position++] & 0xFF;
    }

    /** Reads a segment's length field and returns the offset just past the segment. */
    int segmentEnd() throws JpegFormatException {
        int start = position;
        int length = u16();
        if (length < 2 || start + length > data.length) {
            throw new JpegFormatException("segment length " + length + " runs past the end of the stream", start);
        }
        return start + length;
    }

    /** Fails unless the segment's content ended exactly where its length said. */
    void expectSegmentEnd(int end) throws JpegFormatException {
        if (position != end) {
            throw new JpegFormatException("segment length does not match its content", position);
        }
    }

    int u8() throws JpegFormatException {
        if (position >= data.length) {
            throw new JpegFormatException("stream ends inside a segment", position);
        }
        return data[position++] & 0xFF;
    }

    int u16() throws JpegFormatException {
        return u8() << 8 | u8();
    }

    /**
     * The offset of the next marker at or after {@code from} that is not a stuffed byte or a fill byte, or -1.
     * Used to find where entropy-coded data ends.
     */
    static int findMarker(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == 0xFF) {
                int next = data[i + 1] & 0xFF;
                if (next != 0 && next != 0xFF) {
                    return i;
                }
            }
        }
        return -1;
    }
}
