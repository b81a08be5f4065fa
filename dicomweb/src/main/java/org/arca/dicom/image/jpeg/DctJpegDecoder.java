package org.arca.dicom.image.jpeg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Arca's decoder for sequential DCT JPEG with Huffman coding: T.81 processes 1 (baseline, 8-bit) and 2 and 4
 * (extended, 8- or 12-bit), which DICOM's JPEG Baseline and JPEG Extended transfer syntaxes carry. Any sampling
 * factors from 1 to 4, one to four components, interleaved or separate scans, restart intervals, and image sizes
 * that are not whole MCUs. Progressive, lossless, hierarchical and arithmetic-coded JPEG are refused.
 *
 * <p>The samples come back in the stream's colour space: whether three components are YCbCr is not for the
 * stream to guess (it may carry no JFIF or Adobe marker at all) but for the container to say (DICOM's
 * Photometric Interpretation), so {@link YCbCr#toRgb} is the caller's call.
 *
 * <p>Not thread-safe: one instance per stream, through {@link #decode}.
 */
public final class DctJpegDecoder {
    /** Called with the frame header before anything is allocated from it; refuses sizes the caller cannot take. */
    @FunctionalInterface
    public interface HeaderCheck {
        void check(FrameHeader header) throws IOException;
    }

    /** The largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final byte[] data;
    private final MarkerReader in;
    private final int[][] quantTables = new int[4][];
    private final HuffmanTable[] dcTables = new HuffmanTable[4];
    private final HuffmanTable[] acTables = new HuffmanTable[4];
    private int restartInterval;
    private FrameHeader frame;
    private short[][] planes;
    private int[] strides;
    private boolean[] scanned;

    private DctJpegDecoder(byte[] data) {
        this.data = data;
        this.in = new MarkerReader(data);
    }

    /**
     * True when the stream's frame is sequential DCT with Huffman coding (SOF0 or SOF1), so {@link #decode} can
     * read it; false for other processes and for streams whose markers cannot be followed to a frame header.
     */
    public static boolean canDecode(byte[] stream) {
        MarkerReader r = new MarkerReader(stream);
        try {
            if (r.nextMarker() != MarkerReader.SOI) {
                return false;
            }
            while (!r.atEnd()) {
                int marker = r.nextMarker();
                if (isFrameMarker(marker)) {
                    return marker == 0xC0 || marker == 0xC1;
                }
                if (marker == MarkerReader.SOS || marker == MarkerReader.EOI) {
                    return false;
                }
                if (!standsAlone(marker)) {
                    r.seek(r.segmentEnd());
                }
            }
        } catch (JpegFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * Decodes the stream's one frame.
     *
     * @param check sees the frame header before the decoder allocates for it, and may refuse it by throwing
     * @throws JpegFormatException if the stream is damaged or not sequential DCT with Huffman coding
     */
    public static DecodedJpeg decode(byte[] stream, HeaderCheck check) throws IOException {
        return new DctJpegDecoder(stream).run(check);
    }

    private DecodedJpeg run(HeaderCheck check) throws IOException {
        if (in.nextMarker() != MarkerReader.SOI) {
            throw new JpegFormatException("stream does not start with SOI", 0);
        }
        boolean ended = false;
        while (!ended && !in.atEnd()) {
            int at = in.position();
            int marker = in.nextMarker();
            switch (marker) {
                case 0xC0, 0xC1 -> readFrameHeader(marker & 0x0F, at, check);
                case MarkerReader.DHT -> readHuffmanTables();
                case MarkerReader.DQT -> readQuantTables();
                case MarkerReader.DRI -> readRestartInterval();
                case MarkerReader.SOS -> ended = !readScan(at);
                case MarkerReader.EOI -> ended = true;
                case MarkerReader.DAC -> throw new JpegFormatException("arithmetic coding is not supported", at);
                case MarkerReader.DNL -> throw new JpegFormatException("DNL (height after the scan) is not supported",
                        at);
                default -> {
                    if (isFrameMarker(marker)) {
                        throw new JpegFormatException("JPEG process of SOF" + (marker & 0x0F) + " is not supported",
                                at);
                    }
                    if (!standsAlone(marker)) {
                        in.seek(in.segmentEnd()); // APPn, COM and others this decoder has no use for
                    }
                }
            }
        }
        if (frame == null) {
            throw new JpegFormatException("no frame header", in.position());
        }
        for (int c = 0; c < scanned.length; c++) {
            if (!scanned[c]) {
                throw new JpegFormatException("component " + frame.components().get(c).id() + " is in no scan",
                        in.position());
            }
        }
        return new DecodedJpeg(frame, interleave());
    }

    /** SOF0 to SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrameMarker(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Markers without a length field: SOI, EOI, RSTn and TEM. */
    private static boolean standsAlone(int marker) {
        return marker == MarkerReader.SOI || marker == MarkerReader.EOI || marker == 0x01
                || (marker >= MarkerReader.RST0 && marker <= MarkerReader.RST7);
    }

    private void readFrameHeader(int process, int at, HeaderCheck check) throws IOException {
        if (frame != null) {
            throw new JpegFormatException("second frame header", at);
        }
        int end = in.segmentEnd();
        int precision = in.u8();
        int height = in.u16();
        int width = in.u16();
        int count = in.u8();
        if (precision != 8 && precision != 12) {
            throw new JpegFormatException("sample precision " + precision + " is not 8 or 12", at);
        }
        if (height == 0) {
            throw new JpegFormatException("DNL (height after the scan) is not supported", at);
        }
        if (width == 0 || count < 1 || count > 4) {
            throw new JpegFormatException("frame of width " + width + " with " + count + " components", at);
        }
        List<FrameHeader.Component> components = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = in.u8();
            int factors = in.u8();
            int quant = in.u8();
            int h = factors >> 4;
            int v = factors & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4 || quant > 3) {
                throw new JpegFormatException("component " + id + " has sampling " + h + "x" + v + " and table "
                        + quant, at);
            }
            for (FrameHeader.Component other : components) {
                if (other.id() == id) {
                    throw new JpegFormatException("component " + id + " twice in the frame header", at);
                }
            }
            components.add(new FrameHeader.Component(id, h, v, quant));
        }
        if (in.position() > end) {
            throw new JpegFormatException("frame header longer than its segment", at);
        }
        in.seek(end);
        frame = new FrameHeader(process, precision, width, height, List.copyOf(components));
        check.check(frame);
        // Every block takes at least two bits (a DC code and an end-of-block code, each at least one bit long), so
        // a stream too short for its blocks is refused before its planes are allocated: a few bytes may claim
        // 65535 x 65535.
        long blocks = 0;
        for (FrameHeader.Component c : components) {
            blocks += (long) FrameHeader.ceilDiv(frame.componentWidth(c), 8)
                    * FrameHeader.ceilDiv(frame.componentHeight(c), 8);
        }
        if (blocks * 2 > (long) data.length * 8 + 8) {
            throw new JpegFormatException("stream of " + data.length + " bytes cannot hold the " + blocks
                    + " blocks of a " + width + " x " + height + " frame", at);
        }
        planes = new short[count][];
        strides = new int[count];
        scanned = new boolean[count];
        long output = (long) width * height * count;
        for (int i = 0; i < count; i++) {
            FrameHeader.Component c = components.get(i);
            long stride = (long) frame.mcusAcross() * c.horizontal() * 8;
            long size = stride * frame.mcusDown() * c.vertical() * 8;
            if (size > MAX_ARRAY || output > MAX_ARRAY) {
                throw new JpegFormatException("a " + width + " x " + height + " frame is too large to decode", at);
            }
            strides[i] = (int) stride;
            planes[i] = new short[(int) size];
        }
    }

    private void readHuffmanTables() throws JpegFormatException {
        int end = in.segmentEnd();
        while (in.position() < end) {
            int at = in.position();
            int classAndId = in.u8();
            int tableClass = classAndId >> 4;
            int id = classAndId & 15;
            if (tableClass > 1 || id > 3) {
                throw new JpegFormatException("Huffman table class " + tableClass + " id " + id, at);
            }
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) {
                counts[i] = in.u8();
                total += counts[i];
            }
            if (total > 256) {
                throw new JpegFormatException("Huffman table with " + total + " codes", at);
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = in.u8();
            }
            HuffmanTable table = new HuffmanTable(counts, values, at);
            (tableClass == 0 ? dcTables : acTables)[id] = table;
        }
        checkSegmentEnd(end);
    }

    private void readQuantTables() throws JpegFormatException {
        int end = in.segmentEnd();
        while (in.position() < end) {
            int at = in.position();
            int precisionAndId = in.u8();
            int wide = precisionAndId >> 4;
            int id = precisionAndId & 15;
            if (wide > 1 || id > 3) {
                throw new JpegFormatException("quantisation table precision " + wide + " id " + id, at);
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[ScanDecoder.ZIGZAG[k]] = wide == 1 ? in.u16() : in.u8();
            }
            quantTables[id] = table;
        }
        checkSegmentEnd(end);
    }

    private void readRestartInterval() throws JpegFormatException {
        int end = in.segmentEnd();
        restartInterval = in.u16();
        checkSegmentEnd(end);
    }

    /** Decodes one scan; false when the entropy-coded data runs to the end of the stream (no EOI). */
    private boolean readScan(int at) throws IOException {
        if (frame == null) {
            throw new JpegFormatException("scan before the frame header", at);
        }
        int end = in.segmentEnd();
        int count = in.u8();
        if (count < 1 || count > frame.components().size()) {
            throw new JpegFormatException("scan of " + count + " components", at);
        }
        List<ScanDecoder.ScanComponent> components = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = in.u8();
            int tables = in.u8();
            int index = indexOf(id);
            if (index < 0 || indices.contains(index)) {
                throw new JpegFormatException("scan names component " + id + " that is not in the frame or twice", at);
            }
            FrameHeader.Component c = frame.components().get(index);
            int[] quant = quantTables[c.quantTable()];
            HuffmanTable dc = dcTables[(tables >> 4) & 3];
            HuffmanTable ac = acTables[tables & 3];
            if (quant == null || dc == null || ac == null || (tables >> 4) > 3 || (tables & 15) > 3) {
                throw new JpegFormatException("component " + id + " uses a table that is not defined", at);
            }
            components.add(new ScanDecoder.ScanComponent(c, planes[index], strides[index], quant, dc, ac));
            indices.add(index);
        }
        // Spectral selection and successive approximation (Ss, Se, Ah, Al) have fixed values in sequential
        // mode; libjpeg only warns about others, and so their values are not checked here either.
        in.u8();
        in.u8();
        in.u8();
        checkSegmentEnd(end);
        EntropyReader entropy = new EntropyReader(data, end);
        new ScanDecoder(frame, components, restartInterval).decode(entropy);
        for (int index : indices) {
            scanned[index] = true;
        }
        int next = MarkerReader.findMarker(data, entropy.position());
        while (next >= 0 && (data[next + 1] & 0xFF) >= MarkerReader.RST0 && (data[next + 1] & 0xFF) <= MarkerReader.RST7) {
            next = MarkerReader.findMarker(data, next + 2); // a restart marker after the last interval
        }
        if (next < 0) {
            in.seek(data.length);
            return false;
        }
        in.seek(next);
        return true;
    }

    private int indexOf(int id) {
        for (int i = 0; i < frame.components().size(); i++) {
            if (frame.components().get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    private void checkSegmentEnd(int end) throws JpegFormatException {
        if (in.position() != end) {
            throw new JpegFormatException("segment length does not match its content", in.position());
        }
    }

    /** Every component at full size, samples interleaved pixel by pixel. */
    private int[] interleave() {
        int width = frame.width();
        int height = frame.height();
        List<FrameHeader.Component> components = frame.components();
        int n = components.size();
        int[] out = new int[width * height * n];
        for (int i = 0; i < n; i++) {
            FrameHeader.Component c = components.get(i);
            Upsampler.upsample(planes[i], strides[i], frame.componentWidth(c), frame.componentHeight(c),
                    c.horizontal(), frame.maxHorizontal(), c.vertical(), frame.maxVertical(), width, height, out, i, n);
            planes[i] = null; // let each padded plane go once it is in the output
        }
        return out;
    }
}
