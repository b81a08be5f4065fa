package org.arca.dicom.image;

import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;

/**
 * The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read pixel samples.
 *
 * @param planarConfiguration 0 for interleaved samples (RGBRGB...), 1 for one plane per sample
 */
public record PixelDescription(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                               int highBit, boolean signed, int planarConfiguration, String photometric,
                               int numberOfFrames) {

    public static PixelDescription of(Attributes a) {
        int bitsAllocated = a.getInt(Tag.BitsAllocated, 8);
        int bitsStored = a.getInt(Tag.BitsStored, bitsAllocated);
        return new PixelDescription(a.getInt(Tag.Rows, 0), a.getInt(Tag.Columns, 0),
                a.getInt(Tag.SamplesPerPixel, 1), bitsAllocated, bitsStored,
                a.getInt(Tag.HighBit, bitsStored - 1), a.getInt(Tag.PixelRepresentation, 0) == 1,
                a.getInt(Tag.PlanarConfiguration, 0), a.getString(Tag.PhotometricInterpretation, "MONOCHROME2"),
                Math.max(1, a.getInt(Tag.NumberOfFrames, 1)));
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
