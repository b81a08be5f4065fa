package org.arca.web.dicom;

import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.VR;

/** Small synthetic DICOM instances (no patient data) written with Arca's own codec, for DICOMweb tests. */
public record SyntheticInstance(String studyUid, String seriesUid, String sopUid, String patientName, String patientId,
                                String studyDate, String modality, int instanceNumber) {

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    /** Part 10 bytes: 16×16 16-bit monochrome pixels whose values depend on the instance number. */
    public byte[] bytes() {
        return TestDicom.part10(dataset());
    }

    /** The dataset {@link #bytes()} writes, for tests that change it first. */
    public Attributes dataset() {
        Attributes ds = TestDicom.instance(CT_IMAGE_STORAGE, studyUid, seriesUid, sopUid, instanceNumber);
        ds.setString(Tag.StudyDate, VR.DA, studyDate);
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + instanceNumber);
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.StudyDescription, VR.LO, "Synthetic " + modality);
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19600101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(seriesUid.hashCode() & 0xff));
        byte[] pixels = new byte[16 * 16 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i + instanceNumber);
            pixels[i + 1] = (byte) ((i >> 8) & 0x0f);
        }
        return TestDicom.monochrome12(ds, 16, 16, pixels);
    }
}
