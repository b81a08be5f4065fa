package org.arca.dicom;

import java.util.Random;

/**
 * Random valid native image instances (no patient data): Rows and Columns up to 24, one to three frames,
 * Bits Allocated 1, 8, 16 or 32 with any Bits Stored, signed or not, monochrome or three-sample colour
 * (either planar configuration), random pixel bytes, in Explicit or Implicit VR Little Endian or Explicit VR
 * Big Endian. The seeds of {@link ImageFuzzTest}.
 *
 * @param pixels the pixel data as written (little endian), for checking decoded samples against
 */
record SyntheticImage(Attributes dataset, TransferSyntax transferSyntax, byte[] pixels) {
    private static final TransferSyntax[] SYNTAXES = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN};
    private static final int[] BITS_ALLOCATED = {1, 8, 16, 32};

    static SyntheticImage random(Random r) {
        int samples = r.nextInt(4) == 0 ? 3 : 1;
        int allocated = samples == 3 ? 8 : BITS_ALLOCATED[r.nextInt(BITS_ALLOCATED.length)];
        int stored = allocated == 1 ? 1 : 1 + r.nextInt(allocated);
        int rows = 1 + r.nextInt(24);
        int columns = 1 + r.nextInt(24);
        int frames = 1 + r.nextInt(3);
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25." + Long.toUnsignedString(r.nextLong()));
        ds.setInt(Tag.SamplesPerPixel, VR.US, samples);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, samples == 3 ? (r.nextBoolean() ? "RGB" : "YBR_FULL")
                : (r.nextBoolean() ? "MONOCHROME1" : "MONOCHROME2"));
        if (samples == 3) {
            ds.setInt(Tag.PlanarConfiguration, VR.US, r.nextInt(2));
        }
        if (frames > 1 || r.nextBoolean()) {
            ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        }
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, allocated);
        ds.setInt(Tag.BitsStored, VR.US, stored);
        ds.setInt(Tag.HighBit, VR.US, stored - 1 + r.nextInt(allocated - stored + 1));
        ds.setInt(Tag.PixelRepresentation, VR.US, allocated == 1 ? 0 : r.nextInt(2));
        if (r.nextBoolean()) {
            ds.setString(Tag.RescaleIntercept, VR.DS, Integer.toString(r.nextInt(2000) - 1000));
            ds.setString(Tag.RescaleSlope, VR.DS, r.nextBoolean() ? "1" : "0.5");
        }
        if (r.nextBoolean()) {
            ds.setString(Tag.WindowCenter, VR.DS, Integer.toString(r.nextInt(200)));
            ds.setString(Tag.WindowWidth, VR.DS, Integer.toString(1 + r.nextInt(400)));
        }
        long bits = (long) frames * rows * columns * samples * allocated;
        byte[] pixels = new byte[(int) ((bits + 15) / 16 * 2)];
        r.nextBytes(pixels);
        ds.setBytes(Tag.PixelData, allocated <= 8 ? VR.OB : VR.OW, pixels);
        return new SyntheticImage(ds, SYNTAXES[r.nextInt(SYNTAXES.length)], pixels);
    }

    /** The Part 10 file. */
    byte[] bytes() {
        return TestDicom.part10(dataset, transferSyntax);
    }
}
