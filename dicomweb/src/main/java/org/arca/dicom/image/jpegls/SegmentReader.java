package org.arca.dicom.image.jpegls;

import java.io.IOException;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;
import org.arca.dicom.image.NoDecoderException;

/**
 * Reads the markers and marker segments of a JPEG-LS stream (T.87 Annex C): SOI, the frame header, presets,
 * restart interval, scan headers, EOI; application and comment segments are skipped. Every length is checked
 * against the bytes there are, so a damaged segment ends in {@link DicomFormatException}.
 */
final class SegmentReader {
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int DRI = 0xDD;
    static final int COM = 0xFE;
    /** Start of frame, JPEG-LS (SOF55). */
    static final int SOF55 = 0xF7;
    /** JPEG-LS preset parameters. */
    static final int LSE = 0xF8;

    private final byte[] data;
    private int position;
    /** Where the current segment's body ends. */
    private int segmentEnd;

    SegmentReader(byte[] data) {
        this.data = data;
    }

    int position() {
        return position;
    }

    void seek(int newPosition) {
        position = newPosition;
    }

    /** The next marker's code; 0xFF fill bytes before it are skipped, anything else there is damage. */
    int nextMarker() throws DicomFormatException {
        if (position >= data.length || data[position] != (byte) 0xFF) {
            throw error(position >= data.length ? "JPEG-LS stream ends without an end-of-image marker"
                    : "JPEG-LS stream has no marker where one belongs");
        }
        while (position < data.length && data[position] == (byte) 0xFF) {
            position++;
        }
        if (position >= data.length) {
            throw error("JPEG-LS stream ends inside a marker");
        }
        return data[position++] & 0xFF;
    }

    /** Enters a marker segment: reads its length and checks that the segment is all there. */
    void beginSegment() throws DicomFormatException {
        int length = u16();
        if (length < 2 || position - 2 + length > data.length) {
            throw error("JPEG-LS marker segment of length " + length + " does not fit the stream");
        }
        segmentEnd = position - 2 + length;
    }

    void skipSegment() throws DicomFormatException {
        beginSegment();
        position = segmentEnd;
    }

    /**
     * Skips an application segment, unless it is HP's colour transform (APP8 "mrfx" with a transform other than
     * 0), which changes what the samples mean. DICOM does not allow it; decoding past it would give wrong colours.
     */
    void skipApplicationSegment(int marker) throws IOException {
        beginSegment();
        boolean colourTransform = marker == 0xE8 && segmentEnd - position >= 5 && data[position] == 'm'
                && data[position + 1] == 'r' && data[position + 2] == 'f' && data[position + 3] == 'x'
                && data[position + 4] != 0;
        if (colourTransform) {
            throw new NoDecoderException("JPEG-LS with the HP colour transform " + data[position + 4]);
        }
        position = segmentEnd;
    }

    FrameHeader frameHeader() throws IOException {
        beginSegment();
        int precision = u8();
        int rows = u16();
        int columns = u16();
        int count = u8();
        if (precision < 2 || precision > 16) {
            throw error("JPEG-LS sample precision " + precision + " is not 2 to 16");
        }
        if (count < 1) {
            throw error("JPEG-LS frame has no components");
        }
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = u8();
            int sampling = u8();
            u8(); // Tq: no quantization tables in JPEG-LS
            if (sampling != 0x11) {
                throw new NoDecoderException("JPEG-LS with subsampled components");
            }
        }
        endSegment();
        return new FrameHeader(precision, rows, columns, ids);
    }

    ScanHeader scanHeader(FrameHeader frame) throws IOException {
        beginSegment();
        int count = u8();
        if (count < 1 || count > frame.components()) {
            throw error("JPEG-LS scan of " + count + " components in a frame of " + frame.components());
        }
        int[] components = new int[count];
        for (int i = 0; i < count; i++) {
            int index = frame.indexOf(u8());
            if (index < 0) {
                throw error("JPEG-LS scan names a component the frame does not have");
            }
            components[i] = index;
            if (u8() != 0) {
                throw new NoDecoderException("JPEG-LS with mapping tables");
            }
        }
        int near = u8();
        int interleave = u8();
        int pointTransform = u8() & 0x0F;
        endSegment();
        if (pointTransform != 0) {
            throw new NoDecoderException("JPEG-LS with a point transform");
        }
        if (interleave > ScanHeader.SAMPLE) {
            throw error("JPEG-LS interleave mode " + interleave + " is not 0, 1 or 2");
        }
        if (count == 1) {
            interleave = ScanHeader.NONE;
        } else if (interleave == ScanHeader.NONE) {
            throw error("JPEG-LS scan of " + count + " components without interleaving");
        }
        return new ScanHeader(components, near, interleave);
    }

    /**
     * A preset-parameters segment: coding parameters (ID 1) replace {@code current}; the frame size of ID 4 must
     * agree with the frame's (DICOM sizes fit the frame header); mapping tables (IDs 2 and 3) are not supported.
     */
    PresetParameters presetParameters(PresetParameters current, FrameHeader frame) throws IOException {
        beginSegment();
        int id = u8();
        PresetParameters result = current;
        switch (id) {
            case 1 -> result = new PresetParameters(u16(), u16(), u16(), u16(), u16());
            case 2, 3 -> throw new NoDecoderException("JPEG-LS with mapping tables");
            case 4 -> {
                int width = u8();
                if (width < 2 || width > 4) {
                    throw error("JPEG-LS oversize dimensions of " + width + " bytes");
                }
                long rows = unsigned(width);
                long columns = unsigned(width);
                if (frame != null && (rows != frame.rows() || columns != frame.columns())) {
                    throw error("JPEG-LS oversize dimensions " + columns + " x " + rows + " differ from the frame's");
                }
            }
            default -> throw error("JPEG-LS preset parameters of unknown ID " + id);
        }
        endSegment();
        return result;
    }

    /** The restart interval of a DRI segment, in lines (T.87 C.2.5: 1 to 4 bytes). */
    int restartInterval() throws DicomFormatException {
        beginSegment();
        int bytes = segmentEnd - position;
        if (bytes < 1 || bytes > 4) {
            throw error("JPEG-LS restart interval of " + bytes + " bytes");
        }
        long interval = unsigned(bytes);
        return (int) Math.min(interval, Integer.MAX_VALUE);
    }

    private void endSegment() throws DicomFormatException {
        if (position > segmentEnd) {
            throw error("JPEG-LS marker segment is shorter than its fields");
        }
        position = segmentEnd;
    }

    private long unsigned(int bytes) throws DicomFormatException {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | u8();
        }
        return value;
    }

    private int u8() throws DicomFormatException {
        if (position >= data.length) {
            throw error("JPEG-LS stream ends inside a marker segment");
        }
        return data[position++] & 0xFF;
    }

    private int u16() throws DicomFormatException {
        return u8() << 8 | u8();
    }

    DicomFormatException error(String message) {
        return new DicomFormatException(message, position, Tag.PixelData);
    }
}
