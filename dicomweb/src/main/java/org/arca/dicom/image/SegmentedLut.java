package org.arca.dicom.image;

import java.util.Arrays;
import org.arca.dicom.DicomFormatException;

/**
 * Expands segmented palette color lookup table data (PS3.3 C.7.9.2) into its entries. The data is a list of
 * units, 8 or 16 bits like the entries it describes, forming segments that each start with an opcode and a
 * length: discrete (0: that many entries follow), linear (1: a ramp of that many entries from the previous
 * entry to the next unit) and indirect (2: that many segments again, copied from the segment at a byte offset
 * from the data's start, given as a 32-bit little endian number). An indirect segment may only point back at
 * discrete and linear segments, so damaged data cannot make the expansion loop.
 */
final class SegmentedLut {
    private static final int DISCRETE = 0;
    private static final int LINEAR = 1;
    private static final int INDIRECT = 2;

    private final int[] units;
    private final int unitBytes;
    private final int[] out;
    private final int tag;
    private int size;

    private SegmentedLut(int[] units, int unitBytes, int entries, int tag) {
        this.units = units;
        this.unitBytes = unitBytes;
        this.out = new int[entries];
        this.tag = tag;
    }

    /**
     * The {@code entries} entries the segments in {@code units} (each {@code unitBytes} bytes) describe; fewer
     * described entries repeat the last one.
     */
    static int[] expand(int[] units, int unitBytes, int entries, int tag) throws DicomFormatException {
        SegmentedLut lut = new SegmentedLut(units, unitBytes, entries, tag);
        int at = 0;
        while (at + 1 < units.length) { // a single unit left is the padding to an even length
            at = lut.segment(at, true);
        }
        if (lut.size == 0) {
            throw new DicomFormatException("segmented palette data describes no entries", -1, tag);
        }
        Arrays.fill(lut.out, lut.size, entries, lut.out[lut.size - 1]);
        return lut.out;
    }

    /** Expands the segment at unit {@code at}; returns the unit after it. */
    private int segment(int at, boolean indirectAllowed) throws DicomFormatException {
        if (at + 1 >= units.length) {
            throw damaged("a segment header is cut off");
        }
        int opcode = units[at];
        int length = units[at + 1];
        switch (opcode) {
            case DISCRETE -> {
                if (at + 2 + length > units.length) {
                    throw damaged("a discrete segment runs past the data");
                }
                for (int i = 0; i < length; i++) {
                    add(units[at + 2 + i]);
                }
                return at + 2 + length;
            }
            case LINEAR -> {
                if (at + 2 >= units.length || size == 0) {
                    throw damaged("a linear segment without a start or an end value");
                }
                int y0 = out[size - 1];
                int y1 = units[at + 2];
                for (int i = 1; i <= length; i++) {
                    add((int) Math.round(y0 + (double) (y1 - y0) * i / length));
                }
                return at + 3;
            }
            case INDIRECT -> {
                int offsetUnits = 4 / unitBytes;
                if (!indirectAllowed || at + 2 + offsetUnits > units.length) {
                    throw damaged("an indirect segment that is nested or cut off");
                }
                long byteOffset = 0;
                for (int i = offsetUnits - 1; i >= 0; i--) {
                    byteOffset = byteOffset << (8 * unitBytes) | units[at + 2 + i];
                }
                int from = (int) Math.min(byteOffset / unitBytes, Integer.MAX_VALUE);
                for (int i = 0; i < length; i++) {
                    if (from >= at) {
                        throw damaged("an indirect segment points at itself or past it");
                    }
                    from = segment(from, false);
                }
                return at + 2 + offsetUnits;
            }
            default -> throw damaged("unknown segment opcode " + opcode);
        }
    }

    private void add(int value) throws DicomFormatException {
        if (size == out.length) {
            throw damaged("segments describe more than the descriptor's " + out.length + " entries");
        }
        out[size++] = value;
    }

    private DicomFormatException damaged(String why) {
        return new DicomFormatException("segmented palette data: " + why, -1, tag);
    }
}
