package org.arca.web.ohif;

import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.VR;

/**
 * One slice of a synthetic phantom (no patient data) big enough for a viewer to show: 128×128 16-bit
 * monochrome, a body disc with a bright ring, a gradient and a checkerboard inside and a dot that moves from
 * slice to slice, with the geometry (position, orientation, spacing) viewers need to stack slices.
 */
record Phantom(String studyUid, String seriesUid, int seriesNumber, String modality, String patientName, String patientId,
               int slice) {

    static final int SIZE = 128;
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

    String sopUid() {
        return seriesUid + "." + (slice + 1);
    }

    /** Part 10 bytes in Explicit VR Little Endian. */
    byte[] bytes() {
        boolean ct = modality.equals("CT");
        Attributes ds = TestDicom.instance(ct ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE, studyUid, seriesUid, sopUid(), slice + 1);
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.StudyDate, VR.DA, "20260315");
        ds.setString(Tag.StudyTime, VR.TM, "093000");
        ds.setString(Tag.AccessionNumber, VR.SH, "PH" + patientId);
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.StudyDescription, VR.LO, "Phantom " + patientId);
        ds.setString(Tag.SeriesDescription, VR.LO, modality + " phantom series " + seriesNumber);
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(seriesNumber));
        ds.setString(0x00180050, VR.DS, "2");                                       // SliceThickness
        ds.setString(0x00200032, VR.DS, "-64", "-64", Integer.toString(slice * 2));  // ImagePositionPatient
        ds.setString(0x00200037, VR.DS, "1", "0", "0", "0", "1", "0");               // ImageOrientationPatient
        ds.setString(0x00200052, VR.UI, studyUid + ".0");                           // FrameOfReferenceUID
        ds.setString(0x00201041, VR.DS, Integer.toString(slice * 2));               // SliceLocation
        ds.setString(0x00280030, VR.DS, "1", "1");                                  // PixelSpacing
        ds.setString(Tag.WindowCenter, VR.DS, ct ? "40" : "600");
        ds.setString(Tag.WindowWidth, VR.DS, ct ? "400" : "1200");
        if (ct) {
            ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
            ds.setString(Tag.RescaleSlope, VR.DS, "1");
        }
        return TestDicom.part10(TestDicom.monochrome12(ds, SIZE, SIZE, pixels(ct)));
    }

    /** Stored values 0..4095; for CT the rescale makes them -1024..3071 HU, so air is 0 and tissue near 1064. */
    private byte[] pixels(boolean ct) {
        byte[] pixels = new byte[SIZE * SIZE * 2];
        double c = (SIZE - 1) / 2.0;
        double dotX = 40 + slice * 10;
        double dotY = 80 - slice * 6;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double r = Math.hypot(x - c, y - c);
                int value;
                if (r > 58) {
                    value = ct ? 24 : 0;                                     // air
                } else if (r > 52) {
                    value = ct ? 2024 : 1100;                                // bright ring (bone, fat)
                } else {
                    // A ramp across the window with a checkerboard on top: many grey levels.
                    double ramp = (x - c + 52) / 104.0;
                    int base = ct ? (int) (1024 - 160 + ramp * 400) : (int) (100 + ramp * 1000);
                    boolean check = ((x / 16) + (y / 16)) % 2 == 0;
                    value = base + (check ? (ct ? 60 : 120) : 0);
                }
                if (Math.hypot(x - dotX, y - dotY) < 6) {
                    value = ct ? 1024 + 300 : 1200;                          // the moving dot
                }
                int i = (y * SIZE + x) * 2;
                pixels[i] = (byte) value;
                pixels[i + 1] = (byte) (value >> 8);
            }
        }
        return pixels;
    }
}
