package org.arca.dicom.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Element;
import org.arca.dicom.Tag;
import org.arca.dicom.Value;

/**
 * The red, green and blue lookup tables of a PALETTE COLOR image (PS3.3 C.7.6.3.1.5 and C.7.9), reduced to
 * 8-bit entries for display. Each table has a descriptor (entries, first mapped value, bits per entry) and
 * either its data, 8-bit entries packed two to a word or 16-bit entries, or segmented data (C.7.9.2:
 * discrete, linear and indirect segments). Tables the reader left in the file as bulk data are read from it.
 */
final class PaletteLut {
    private static final int SEGMENTED_RED = 0x00281221;
    private static final int SEGMENTED_GREEN = 0x00281222;
    private static final int SEGMENTED_BLUE = 0x00281223;

    private final int[][] tables;
    private final int firstMapped;

    private PaletteLut(int[][] tables, int firstMapped) {
        this.tables = tables;
        this.firstMapped = firstMapped;
    }

    /**
     * The palette of {@code dataset}, whose stored pixel values are signed when {@code signed}.
     *
     * @throws DicomFormatException if a descriptor or its data is missing or does not fit the other
     */
    static PaletteLut of(Attributes dataset, boolean signed) throws IOException {
        int[] descriptor = dataset.ints(Tag.RedPaletteColorLookupTableDescriptor);
        if (descriptor.length != 3) {
            throw new DicomFormatException("palette descriptor needs 3 values", -1, Tag.RedPaletteColorLookupTableDescriptor);
        }
        // The first mapped value is US or SS like the pixels; read as US, a signed one must be sign-extended.
        int first = signed ? (short) descriptor[1] : descriptor[1] & 0xFFFF;
        int[][] tables = {
                table(dataset, Tag.RedPaletteColorLookupTableDescriptor, Tag.RedPaletteColorLookupTableData, SEGMENTED_RED),
                table(dataset, Tag.GreenPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableData, SEGMENTED_GREEN),
                table(dataset, Tag.BluePaletteColorLookupTableDescriptor, Tag.BluePaletteColorLookupTableData, SEGMENTED_BLUE)};
        return new PaletteLut(tables, first);
    }

    /** The 0xRRGGBB colour of a stored value; values outside the tables take their first or last entry. */
    int rgb(int stored) {
        int r = entry(tables[0], stored);
        int g = entry(tables[1], stored);
        int b = entry(tables[2], stored);
        return r << 16 | g << 8 | b;
    }

    private int entry(int[] table, int stored) {
        int i = stored - firstMapped;
        return table[Math.max(0, Math.min(table.length - 1, i))];
    }

    private static int[] table(Attributes a, int descriptorTag, int dataTag, int segmentedTag) throws IOException {
        int[] desc = a.ints(descriptorTag);
        if (desc.length != 3) {
            throw new DicomFormatException("palette descriptor needs 3 values", -1, descriptorTag);
        }
        int entries = (desc[0] & 0xFFFF) == 0 ? 65536 : desc[0] & 0xFFFF;
        int bits = desc[2];
        if (bits != 8 && bits != 16) {
            throw new DicomFormatException("palette entries of " + bits + " bits (8 or 16 expected)", -1, descriptorTag);
        }
        byte[] data = valueBytes(a, dataTag);
        int[] raw;
        if (data != null) {
            raw = plain(data, entries, bits, dataTag);
        } else {
            byte[] segmented = valueBytes(a, segmentedTag);
            if (segmented == null) {
                throw new DicomFormatException("PALETTE COLOR without lookup table data", -1, dataTag);
            }
            // Segments are made of units as wide as the entries: bytes for 8-bit entries, else words.
            raw = SegmentedLut.expand(bits == 8 ? unsignedBytes(segmented) : words(segmented), bits / 8, entries,
                    segmentedTag);
        }
        int[] lut = new int[entries];
        for (int i = 0; i < entries; i++) {
            lut[i] = bits == 16 ? raw[i] >> 8 & 0xFF : raw[i] & 0xFF;
        }
        return lut;
    }

    /** Entries of plain LUT data: 8-bit entries packed two to a word (first in the low byte), else one per word. */
    private static int[] plain(byte[] data, int entries, int bits, int dataTag) throws DicomFormatException {
        int[] raw = new int[entries];
        if (bits == 8 && data.length == entries + (entries & 1)) {
            for (int i = 0; i < entries; i++) {
                raw[i] = data[i] & 0xFF;
            }
            return raw;
        }
        if (data.length < entries * 2L) {
            throw new DicomFormatException("palette data of " + data.length + " bytes for " + entries + " entries of "
                    + bits + " bits", -1, dataTag);
        }
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries; i++) {
            raw[i] = bb.getShort(i * 2) & 0xFFFF;
        }
        return raw;
    }

    private static int[] unsignedBytes(byte[] b) {
        int[] u = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            u[i] = b[i] & 0xFF;
        }
        return u;
    }

    private static int[] words(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] w = new int[b.length / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = bb.getShort(i * 2) & 0xFFFF;
        }
        return w;
    }

    /** The value of a binary element, read from the file when it was left there; null when absent or empty. */
    private static byte[] valueBytes(Attributes a, int tag) throws IOException {
        Element e = a.get(tag).orElse(null);
        if (e == null) {
            return null;
        }
        byte[] b = switch (e.value()) {
            case Value.Bytes bytes -> bytes.bytes();
            case Value.Bulk bulk -> bulk.data().readAll(e.vr());
            default -> throw new DicomFormatException("palette data is not a binary value", -1, tag);
        };
        return b.length == 0 ? null : b;
    }
}
