package org.arca.dicom.image.jpeg;

/**
 * One Huffman table (T.81 C, F.2.2.3): codes are assigned in order of length from the counts per length, and
 * decoded through a table indexed by the next {@value #FAST_BITS} bits, falling back to the per-length code
 * ranges for longer codes.
 */
final class HuffmanTable {
    private static final int FAST_BITS = 9;

    /** For each {@value #FAST_BITS}-bit prefix: code length << 8 | value, or 0 when the code is longer. */
    private final int[] fast = new int[1 << FAST_BITS];
    private final int[] maxCode = new int[18];
    private final int[] minCode = new int[17];
    private final int[] valueIndex = new int[17];
    private final int[] values;

    /**
     * @param counts  number of codes of each length 1 to 16 ({@code counts[0]} is for length 1)
     * @param values  the symbols in order of increasing code
     */
    HuffmanTable(int[] counts, int[] values, int offset) throws JpegFormatException {
        this.values = values;
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++) {
            int n = counts[length - 1];
            valueIndex[length] = k;
            minCode[length] = code;
            if (n == 0) {
                maxCode[length] = -1;
            } else {
                if (code + n > 1 << length) {
                    throw new JpegFormatException("Huffman table has more codes of length " + length + " than fit",
                            offset);
                }
                for (int i = 0; i < n; i++, code++, k++) {
                    if (length <= FAST_BITS) {
                        int first = code << (FAST_BITS - length);
                        int last = first | ((1 << (FAST_BITS - length)) - 1);
                        for (int p = first; p <= last; p++) {
                            fast[p] = length << 8 | values[k];
                        }
                    }
                }
                maxCode[length] = code - 1;
            }
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE; // sentinel: no code is longer than 16 bits
    }

    /** Decodes one symbol. */
    int decode(EntropyReader in) throws JpegFormatException {
        int peek = in.peek(16);
        int entry = fast[peek >>> (16 - FAST_BITS)];
        if (entry != 0) {
            in.skip(entry >>> 8);
            return entry & 0xFF;
        }
        for (int length = FAST_BITS + 1; length <= 16; length++) {
            int code = peek >>> (16 - length);
            if (maxCode[length] >= 0 && code <= maxCode[length]) {
                in.skip(length);
                return values[valueIndex[length] + code - minCode[length]];
            }
        }
        throw new JpegFormatException("invalid Huffman code", in.position());
    }
}
