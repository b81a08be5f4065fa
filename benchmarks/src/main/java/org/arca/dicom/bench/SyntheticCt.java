package org.arca.dicom.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.arca.dicom.Attributes;
import org.arca.dicom.DataDictionary;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.SopClass;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;

/**
 * Synthetic CT series for benchmarks: 512×512 16-bit single-frame CT Image Storage instances in
 * Explicit VR Little Endian with the header a scanner writes (patient, study, series, frame of
 * reference, image plane, pixel description, rescale, window), a procedure code sequence, and a
 * pixel phantom (air, an elliptic body, a bone ring). Names and identifiers are made up; UIDs are
 * derived from fixed names under 2.25, so the same call writes the same files.
 *
 * <p>Not thread-safe.
 */
final class SyntheticCt {
    static final int SIZE = 512;
    /** Stored value 0 is air at -1024 HU. */
    private static final int INTERCEPT = -1024;

    private final Path dir;
    private final int instances;
    private final int seriesCount;

    /**
     * @param dir         folder the files go in (created)
     * @param instances   how many files
     * @param seriesCount how many series to spread them over, two series per study
     */
    SyntheticCt(Path dir, int instances, int seriesCount) {
        this.dir = dir;
        this.instances = instances;
        this.seriesCount = seriesCount;
    }

    /** The files, written now unless a previous call with the same counts left them complete. */
    List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(instances);
        for (int i = 0; i < instances; i++) {
            files.add(dir.resolve(String.format("s%02d_i%05d.dcm", i % seriesCount, i / seriesCount + 1)));
        }
        Path done = dir.resolve("complete-" + instances + "x" + seriesCount);
        if (Files.exists(done)) {
            return files;
        }
        Files.createDirectories(dir);
        byte[] pixels = new byte[SIZE * SIZE * 2];
        for (int i = 0; i < instances; i++) {
            int series = i % seriesCount;
            int number = i / seriesCount + 1;
            Attributes ct = header(series, number);
            phantom(number, pixels);
            ct.setBytes(Tag.PixelData, VR.OW, pixels.clone());
            DicomWriter.write(files.get(i), ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        Files.writeString(done, "");
        return files;
    }

    private static Attributes header(int series, int number) {
        int study = series / 2;
        double sliceThickness = 1.25;
        double z = -200 + number * sliceThickness;
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        a.setString(tag("InstanceCreationDate"), VR.DA, "20240115");
        a.setString(Tag.SOPClassUID, VR.UI, SopClass.CT_IMAGE);
        a.setString(Tag.SOPInstanceUID, VR.UI, uid("instance/" + series + "/" + number));
        a.setString(Tag.StudyDate, VR.DA, "20240115");
        a.setString(tag("SeriesDate"), VR.DA, "20240115");
        a.setString(tag("ContentDate"), VR.DA, "20240115");
        a.setString(Tag.StudyTime, VR.TM, "101500");
        a.setString(tag("SeriesTime"), VR.TM, String.format("1016%02d", series));
        a.setString(tag("ContentTime"), VR.TM, String.format("1016%02d.%06d", series, number));
        a.setString(Tag.AccessionNumber, VR.SH, "BENCH" + study);
        a.setString(Tag.Modality, VR.CS, "CT");
        a.setString(tag("Manufacturer"), VR.LO, "Arca Synthetic");
        a.setString(tag("InstitutionName"), VR.LO, "Synthetic Institute");
        a.setString(Tag.ReferringPhysicianName, VR.PN, "Nobody^Referring");
        a.setString(Tag.StudyDescription, VR.LO, "CT CHEST ABDOMEN");
        Attributes code = new Attributes();
        code.setString(tag("CodeValue"), VR.SH, "BENCH-CT");
        code.setString(tag("CodingSchemeDesignator"), VR.SH, "99ARCA");
        code.setString(tag("CodeMeaning"), VR.LO, "CT chest abdomen");
        a.setSequence(tag("ProcedureCodeSequence"), List.of(code));
        a.setString(Tag.SeriesDescription, VR.LO, series % 2 == 0 ? "Soft tissue 1.25mm" : "Lung 1.25mm");
        a.setString(tag("ManufacturerModelName"), VR.LO, "Phantom 1");
        a.setString(Tag.PatientName, VR.PN, "Synthetic^Patient" + study);
        a.setString(Tag.PatientID, VR.LO, "SYN" + study);
        a.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        a.setString(Tag.PatientSex, VR.CS, "O");
        a.setString(tag("PatientAge"), VR.AS, "054Y");
        a.setString(tag("BodyPartExamined"), VR.CS, "CHEST");
        a.setDouble(tag("SliceThickness"), VR.DS, sliceThickness);
        a.setDouble(tag("KVP"), VR.DS, 120);
        a.setDouble(tag("DataCollectionDiameter"), VR.DS, 500);
        a.setString(tag("SoftwareVersions"), VR.LO, "arca-bench");
        a.setDouble(tag("ReconstructionDiameter"), VR.DS, 380);
        a.setDouble(tag("GantryDetectorTilt"), VR.DS, 0);
        a.setString(tag("ConvolutionKernel"), VR.SH, series % 2 == 0 ? "STANDARD" : "LUNG");
        a.setString(tag("PatientPosition"), VR.CS, "FFS");
        a.setString(Tag.StudyInstanceUID, VR.UI, uid("study/" + study));
        a.setString(Tag.SeriesInstanceUID, VR.UI, uid("series/" + series));
        a.setString(Tag.StudyID, VR.SH, Integer.toString(study + 1));
        a.setInt(Tag.SeriesNumber, VR.IS, series + 1);
        a.setInt(Tag.InstanceNumber, VR.IS, number);
        a.setDouble(tag("ImagePositionPatient"), VR.DS, -190, -190, z);
        a.setDouble(tag("ImageOrientationPatient"), VR.DS, 1, 0, 0, 0, 1, 0);
        a.setString(tag("FrameOfReferenceUID"), VR.UI, uid("frame/" + study));
        a.setString(tag("PositionReferenceIndicator"), VR.LO, "");
        a.setDouble(tag("SliceLocation"), VR.DS, z);
        a.setInt(Tag.SamplesPerPixel, VR.US, 1);
        a.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        a.setInt(Tag.Rows, VR.US, SIZE);
        a.setInt(Tag.Columns, VR.US, SIZE);
        a.setDouble(tag("PixelSpacing"), VR.DS, 0.742188, 0.742188);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setInt(Tag.BitsStored, VR.US, 12);
        a.setInt(Tag.HighBit, VR.US, 11);
        a.setInt(Tag.PixelRepresentation, VR.US, 0);
        a.setDouble(Tag.WindowCenter, VR.DS, series % 2 == 0 ? 40 : -600);
        a.setDouble(Tag.WindowWidth, VR.DS, series % 2 == 0 ? 400 : 1500);
        a.setDouble(Tag.RescaleIntercept, VR.DS, INTERCEPT);
        a.setDouble(Tag.RescaleSlope, VR.DS, 1);
        a.setString(tag("RescaleType"), VR.LO, "HU");
        return a;
    }

    /** Air around an elliptic body of soft tissue with a bone ring; sizes change along the series. */
    private static void phantom(int number, byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double rx = 200 + 20 * Math.sin(number / 40.0);
        double ry = 150 + 10 * Math.cos(number / 55.0);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double dx = (x - SIZE / 2.0) / rx;
                double dy = (y - SIZE / 2.0) / ry;
                double r = dx * dx + dy * dy;
                int hu = r > 1 ? -1000 : r > 0.85 && r < 0.9 ? 700 : 40;
                // A cheap hash as noise: java.util.Random for 2.6 billion pixels would dominate generation.
                int h = x * 73856093 ^ y * 19349663 ^ number * 83492791;
                int stored = Math.max(0, Math.min(4095, hu - INTERCEPT + ((h >>> 8) % 21) - 10));
                b.putShort((short) stored);
            }
        }
    }

    private static int tag(String keyword) {
        return DataDictionary.tagOf(keyword).orElseThrow(() -> new IllegalArgumentException(keyword));
    }

    /** A UID under 2.25 from a name-based UUID (PS3.5 B.2), so reruns write the same UIDs. */
    private static String uid(String name) {
        UUID u = UUID.nameUUIDFromBytes(("arca-bench/" + name).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }
}
