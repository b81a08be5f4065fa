package org.arca.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The parts every synthetic DICOM instance of the tests shares (no patient data), written with Arca's own codec:
 * the identifying UIDs, the image pixel module and the Part 10 bytes. Shared with other modules' tests through
 * dicomweb's test-jar, so a change to how instances are built is made once.
 */
public final class TestDicom {
    private TestDicom() {
    }

    /** A dataset naming an instance of {@code sopClass} in its series and study, with UTF-8 text. */
    public static Attributes instance(String sopClass, String studyUid, String seriesUid, String sopUid, int instanceNumber) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instanceNumber));
        return ds;
    }

    /** Sets the image pixel module of unsigned samples stored in the low {@code bitsStored} bits. */
    public static Attributes pixelModule(Attributes ds, int samplesPerPixel, String photometric, int rows, int columns,
                                         int bitsAllocated, int bitsStored) {
        ds.setInt(Tag.SamplesPerPixel, VR.US, samplesPerPixel);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, photometric);
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, bitsAllocated);
        ds.setInt(Tag.BitsStored, VR.US, bitsStored);
        ds.setInt(Tag.HighBit, VR.US, bitsStored - 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        return ds;
    }

    /** Sets a MONOCHROME2 image of 12-bit values in 16-bit little-endian samples, as CT and MR store them. */
    public static Attributes monochrome12(Attributes ds, int rows, int columns, byte[] pixels) {
        pixelModule(ds, 1, "MONOCHROME2", rows, columns, 16, 12);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    /** The dataset as an Explicit VR Little Endian Part 10 file. */
    public static byte[] part10(Attributes ds) {
        return part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The dataset as a Part 10 file in {@code syntax}. */
    public static byte[] part10(Attributes ds, TransferSyntax syntax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomWriter.write(out, ds, syntax);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
