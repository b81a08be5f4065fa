package org.arca.dicom.image.jpeg;

/**
 * The tables a stream defines before its scans (T.81 B.2.4): up to four quantisation tables, four DC and four AC
 * Huffman tables, and the restart interval. A later definition replaces an earlier one, and each scan uses those
 * in force when it starts.
 */
final class JpegTables {
    private final int[][] quant = new int[4][];
    private final HuffmanTable[] dc = new HuffmanTable[4];
    private final HuffmanTable[] ac = new HuffmanTable[4];
    private int restartInterval;

    /** The quantisation table {@code id} in natural order, or null if none was defined. */
    int[] quant(int id) {
        return quant[id];
    }

    HuffmanTable dc(int id) {
        return id < 4 ? dc[id] : null;
    }

    HuffmanTable ac(int id) {
        return id < 4 ? ac[id] : null;
    }

    int restartInterval() {
        return restartInterval;
    }

    /** A DHT segment (T.81 B.2.4.2): one or more tables, each its class and id, counts per length and symbols. */
    void readHuffman(MarkerReader in) throws JpegFormatException {
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
            (tableClass == 0 ? dc : ac)[id] = new HuffmanTable(counts, values, at);
        }
        in.expectSegmentEnd(end);
    }

    /** A DQT segment (T.81 B.2.4.1): one or more tables of 64 steps in zigzag order, 8 or 16 bits each. */
    void readQuant(MarkerReader in) throws JpegFormatException {
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
            quant[id] = table;
        }
        in.expectSegmentEnd(end);
    }

    /** A DRI segment (T.81 B.2.4.4): MCUs per restart interval, 0 for none. */
    void readRestartInterval(MarkerReader in) throws JpegFormatException {
        int end = in.segmentEnd();
        restartInterval = in.u16();
        in.expectSegmentEnd(end);
    }
}
