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

    private final byte[] data;
    private final MarkerReader in;
    private final JpegTables tables = new JpegTables();
    private FrameHeader frame;
    private ComponentPlanes planes;

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
                case MarkerReader.DHT -> tables.readHuffman(in);
                case MarkerReader.DQT -> tables.readQuant(in);
                case MarkerReader.DRI -> tables.readRestartInterval(in);
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
        return new DecodedJpeg(frame, planes.interleave(in.position()));
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
        frame = FrameHeader.read(in, process, at);
        check.check(frame);
        planes = new ComponentPlanes(frame, data.length, at);
    }

    /** Decodes one scan (T.81 B.2.3); false when its entropy-coded data runs to the end of the stream (no EOI). */
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
            int selectors = in.u8();
            int index = frame.indexOf(id);
            if (index < 0 || indices.contains(index)) {
                throw new JpegFormatException("scan names component " + id + " that is not in the frame or twice", at);
            }
            FrameHeader.Component c = frame.components().get(index);
            int[] quant = tables.quant(c.quantTable());
            HuffmanTable dc = tables.dc(selectors >> 4);
            HuffmanTable ac = tables.ac(selectors & 15);
            if (quant == null || dc == null || ac == null) {
                throw new JpegFormatException("component " + id + " uses a table that is not defined", at);
            }
            components.add(new ScanDecoder.ScanComponent(c, planes.plane(index), planes.stride(index), quant, dc, ac));
            indices.add(index);
        }
        // Spectral selection and successive approximation (Ss, Se, Ah, Al) have fixed values in sequential
        // mode; libjpeg only warns about others, and so their values are not checked here either.
        in.u8();
        in.u8();
        in.u8();
        in.expectSegmentEnd(end);
        EntropyReader entropy = new EntropyReader(data, end);
        new ScanDecoder(frame, components, tables.restartInterval()).decode(entropy);
        for (int index : indices) {
            planes.scanned(index);
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
}
