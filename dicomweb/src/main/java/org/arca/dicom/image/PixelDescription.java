package org.arca.dicom.image;

import java.util.Set;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;

/**
 * The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read pixel samples.
 *
 * @param planarConfiguration 0 for interleaved samples (RGBRGB...), 1 for one plane per sample
 */
public record PixelDescription(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                               int highBit, boolean signed, int planarConfiguration, String photometric,
                               int numberOfFrames) {
    /** PS3.5 8.1.1 and PS3.3 C.7.6.3.1: the Bits Allocated Arca reads; anything else is damaged or unsupported. */
    private static final Set<Integer> BITS_ALLOCATED = Set.of(1, 8, 16, 32);

    public static PixelDescription of(Attributes a) {
        int bitsAllocated = a.getInt(Tag.BitsAllocated, 8);
        int bitsStored = a.getInt(Tag.BitsStored, bitsAllocated);
        return new PixelDescription(a.getInt(Tag.Rows, 0), a.getInt(Tag.Columns, 0),
                a.getInt(Tag.SamplesPerPixel, 1), bitsAllocated, bitsStored,
                a.getInt(Tag.HighBit, bitsStored - 1), a.getInt(Tag.PixelRepresentation, 0) == 1,
                a.getInt(Tag.PlanarConfiguration, 0), a.getString(Tag.PhotometricInterpretation, "MONOCHROME2"),
                Math.max(1, a.getInt(Tag.NumberOfFrames, 1)));
    }

    /**
     * Refuses attributes no frame can be read with, before anything is allocated from them: Rows and Columns
     * from 1 to 65535 (US), Samples per Pixel 1 or 3 (other values are retired), Bits Allocated 1, 8, 16 or 32,
     * Bits Stored from 1 to Bits Allocated, High Bit from Bits Stored - 1 to Bits Allocated - 1.
     */
    public void check() throws DicomFormatException {
        if (rows < 1 || rows > 0xFFFF || columns < 1 || columns > 0xFFFF) {
            throw new DicomFormatException("Rows " + rows + " and Columns " + columns + " must be 1 to 65535", -1,
                    rows < 1 || rows > 0xFFFF ? Tag.Rows : Tag.Columns);
        }
        if (samplesPerPixel != 1 && samplesPerPixel != 3) {
            throw new DicomFormatException("Samples per Pixel " + samplesPerPixel + " is not 1 or 3", -1,
                    Tag.SamplesPerPixel);
        }
        if (!BITS_ALLOCATED.contains(bitsAllocated)) {
            throw new DicomFormatException("Bits Allocated " + bitsAllocated + " is not 1, 8, 16 or 32", -1,
                    Tag.BitsAllocated);
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomFormatException("Bits Stored " + bitsStored + " is not 1 to Bits Allocated " + bitsAllocated,
                    -1, Tag.BitsStored);
        }
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw new DicomFormatException("High Bit " + highBit + " does not fit Bits Stored " + bitsStored
                    + " in Bits Allocated " + bitsAllocated, -1, Tag.HighBit);
        }
    }

    /** Samples of one decoded frame: rows × columns × samples per pixel. */
    public long samplesPerFrame() {
        return (long) rows * columns * samplesPerPixel;
    }

    /** Bytes of one native frame (bit-packed for Bits Allocated 1). */
    public long frameLength() {
        if (photometric.endsWith("_422") && samplesPerPixel == 3) {
            return (long) rows * ((columns + 1) / 2 * 2) * 2 * bitsAllocated / 8; // Cb and Cr shared by two pixels
        }
        long bits = (long) rows * columns * samplesPerPixel * bitsAllocated;
        return (bits + 7) / 8;
    }

    public boolean isMonochrome() {
        return photometric.startsWith("MONOCHROME");
    }

    PixelDescription withPhotometric(String p, int planar) {
        return new PixelDescription(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed, planar,
                p, numberOfFrames);
    }

    PixelDescription withBits(int allocated, int stored, boolean isSigned) {
        return new PixelDescription(rows, columns, samplesPerPixel, allocated, stored, stored - 1, isSigned,
                planarConfiguration, photometric, numberOfFrames);
    }
}
