package org.arca.ai;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.arca.dicom.Attributes;
import org.arca.dicom.SopClass;
import org.arca.dicom.Tag;
import org.arca.dicom.VR;

/**
 * Builds a DICOM Segmentation (PS3.3 A.51) from per-frame results: one segment per label, one SEG frame per
 * (segment, source frame) pair, each referencing its source instance and frame so viewers such as OHIF overlay
 * it on the series it came from. A binary SEG comes from label maps, 1 bit per pixel packed across frame
 * boundaries as the standard requires for BitsAllocated 1; a fractional SEG from probability planes, 8 bits per
 * pixel with MaximumFractionalValue 255 (C.8.20.2).
 */
final class SegmentationWriter {
    private static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    private static final int PIXEL_SPACING = 0x00280030;
    private static final int SLICE_THICKNESS = 0x00180050;
    private static final int REFERENCED_SOP_CLASS_UID = 0x00081150;
    private static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;
    private static final int REFERENCED_FRAME_NUMBER = 0x00081160;
    private static final int SEGMENT_SEQUENCE = 0x00620002;
    private static final int SEGMENT_NUMBER = 0x00620004;
    private static final int REFERENCED_SEGMENT_NUMBER = 0x0062000B;
    private static final int SEGMENTATION_TYPE = 0x00620001;
    /** A fractional SEG's 8-bit values 0..255 stand for 0..1. */
    static final int MAX_FRACTION = 255;

    private SegmentationWriter() {
    }

    /** What the SEG says about where it came from, for its descriptive attributes. */
    record Origin(String modelName, String modelVersion, List<String> labels) {
    }

    /**
     * A binary SEG.
     *
     * @param frames the source frames in order
     * @param masks  one label map per source frame, rows × columns, 0 = background
     */
    static Attributes build(Origin origin, List<SourceFrame> frames, List<byte[]> masks) {
        Attributes ds = common(origin, frames);
        ds.setString(SEGMENTATION_TYPE, VR.CS, "BINARY");
        ds.setInt(Tag.BitsAllocated, VR.US, 1);
        ds.setInt(Tag.BitsStored, VR.US, 1);
        ds.setInt(Tag.HighBit, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, pack(masks, origin.labels().size()));
        return ds;
    }

    /**
     * A fractional SEG: 8-bit frames whose values 0..255 stand for 0..1 of {@code fractionalType}
     * ({@code PROBABILITY} or {@code OCCUPANCY}).
     *
     * @param fractions per source frame, one rows × columns plane per segment, segment-major
     */
    static Attributes buildFractional(Origin origin, String fractionalType, List<SourceFrame> frames,
                                      List<byte[]> fractions) {
        Attributes ds = common(origin, frames);
        ds.setString(SEGMENTATION_TYPE, VR.CS, "FRACTIONAL");
        ds.setString(0x00620010, VR.CS, fractionalType); // SegmentationFractionalType
        ds.setInt(0x0062000E, VR.US, MAX_FRACTION); // MaximumFractionalValue
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        int plane = frames.get(0).rows() * frames.get(0).columns();
        int segments = origin.labels().size();
        byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(plane, segments), frames.size())];
        int at = 0;
        for (int s = 0; s < segments; s++) {
            for (byte[] f : fractions) {
                System.arraycopy(f, s * plane, pixels, at, plane);
                at += plane;
            }
        }
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        return ds;
    }

    /** Everything but the pixels and how they are encoded: identity, references, segments, functional groups. */
    private static Attributes common(Origin origin, List<SourceFrame> frames) {
        Attributes first = frames.get(0).header();
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, SopClass.SEGMENTATION);
        ds.setString(Tag.SOPInstanceUID, VR.UI, newUid());
        ds.setString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber,
                Tag.ReferringPhysicianName, Tag.StudyID, Tag.StudyDescription, Tag.PatientName, Tag.PatientID,
                Tag.PatientBirthDate, Tag.PatientSex, FRAME_OF_REFERENCE_UID}) {
            first.get(tag).ifPresent(ds::set);
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        ds.setString(Tag.Modality, VR.CS, "SEG");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, newUid());
        ds.setString(Tag.SeriesNumber, VR.IS, "900");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setString(Tag.SeriesDescription, VR.LO, cut("AI " + origin.modelName() + " " + origin.modelVersion(), 64));
        ds.setString(0x00080023, VR.DA, date); // ContentDate
        ds.setString(0x00080033, VR.TM, time); // ContentTime
        ds.setString(0x00700080, VR.CS, "AI"); // ContentLabel
        ds.setString(0x00700081, VR.LO, cut(origin.modelName(), 64)); // ContentDescription
        ds.setString(0x00700084, VR.PN, ""); // ContentCreatorName
        ds.setString(0x00080070, VR.LO, "Arca"); // Manufacturer
        ds.setString(0x00081090, VR.LO, cut(origin.modelName(), 64)); // ManufacturerModelName
        ds.setString(0x00181000, VR.LO, "1"); // DeviceSerialNumber
        ds.setString(0x00181020, VR.LO, cut(origin.modelVersion(), 64)); // SoftwareVersions
        ds.setString(0x00200060, VR.CS, ""); // Laterality
        ds.setString(0x00201040, VR.LO, ""); // PositionReferenceIndicator
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, frames.get(0).rows());
        ds.setInt(Tag.Columns, VR.US, frames.get(0).columns());
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(0x00282110, VR.CS, "00"); // LossyImageCompression
        referencedSeries(ds, frames);
        segments(ds, origin);
        dimensions(ds);
        shared(ds, first);
        int segmentCount = origin.labels().size();
        List<Attributes> perFrame = new ArrayList<>();
        for (int s = 1; s <= segmentCount; s++) {
            for (int f = 0; f < frames.size(); f++) {
                perFrame.add(frameGroup(frames.get(f), s, f + 1));
            }
        }
        ds.setSequence(0x52009230, perFrame); // PerFrameFunctionalGroupsSequence
        ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(perFrame.size()));
        return ds;
    }

    /** Bits for every SEG frame in order (segment-major), LSB first, with no padding between frames. */
    static byte[] pack(List<byte[]> masks, int segments) {
        long bits = 0;
        for (byte[] m : masks) {
            bits += m.length;
        }
        bits *= segments;
        byte[] out = new byte[(int) ((bits + 7) / 8)];
        long bit = 0;
        for (int s = 1; s <= segments; s++) {
            for (byte[] m : masks) {
                for (byte label : m) {
                    if ((label & 0xFF) == s) {
                        out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                    }
                    bit++;
                }
            }
        }
        return out;
    }

    private static void referencedSeries(Attributes ds, List<SourceFrame> frames) {
        Attributes series = new Attributes();
        series.setString(Tag.SeriesInstanceUID, VR.UI, frames.get(0).header().getString(Tag.SeriesInstanceUID, ""));
        List<Attributes> instances = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SourceFrame f : frames) {
            if (seen.add(f.sopInstanceUid())) {
                instances.add(reference(f, false));
            }
        }
        series.setSequence(0x0008114A, instances); // ReferencedInstanceSequence
        ds.setSequence(0x00081115, List.of(series)); // ReferencedSeriesSequence
    }

    private static void segments(Attributes ds, Origin origin) {
        List<Attributes> items = new ArrayList<>();
        for (int i = 0; i < origin.labels().size(); i++) {
            Attributes s = new Attributes();
            s.setInt(SEGMENT_NUMBER, VR.US, i + 1);
            s.setString(0x00620005, VR.LO, cut(origin.labels().get(i), 64)); // SegmentLabel
            s.setString(0x00620008, VR.CS, "AUTOMATIC"); // SegmentAlgorithmType
            s.setString(0x00620009, VR.LO, cut(origin.modelName(), 64)); // SegmentAlgorithmName
            // A generic category and type: a model's labels are free text, not coded concepts Arca could know.
            s.setSequence(0x00620003, List.of(code("91723000", "SCT", "Anatomical Structure")));
            s.setSequence(0x0062000F, List.of(code("85756007", "SCT", "Tissue")));
            items.add(s);
        }
        ds.setSequence(SEGMENT_SEQUENCE, items);
    }

    private static void dimensions(Attributes ds) {
        String uid = newUid();
        Attributes org = new Attributes();
        org.setString(0x00209164, VR.UI, uid); // DimensionOrganizationUID
        ds.setSequence(0x00209221, List.of(org)); // DimensionOrganizationSequence
        Attributes bySegment = new Attributes();
        bySegment.setString(0x00209164, VR.UI, uid);
        bySegment.setBytes(0x00209165, VR.AT, at(REFERENCED_SEGMENT_NUMBER)); // DimensionIndexPointer
        bySegment.setBytes(0x00209167, VR.AT, at(0x0062000A)); // FunctionalGroupPointer: SegmentIdentificationSequence
        Attributes byFrame = new Attributes();
        byFrame.setString(0x00209164, VR.UI, uid);
        byFrame.setBytes(0x00209165, VR.AT, at(0x00209057)); // InStackPositionNumber
        byFrame.setBytes(0x00209167, VR.AT, at(0x00209111)); // FrameContentSequence
        ds.setSequence(0x00209222, List.of(bySegment, byFrame)); // DimensionIndexSequence
    }

    private static void shared(Attributes ds, Attributes first) {
        Attributes shared = new Attributes();
        first.get(SeriesOrder.IMAGE_ORIENTATION_PATIENT).ifPresent(e -> {
            Attributes orientation = new Attributes();
            orientation.set(e);
            shared.setSequence(0x00209116, List.of(orientation)); // PlaneOrientationSequence
        });
        if (first.contains(PIXEL_SPACING)) {
            Attributes measures = new Attributes();
            first.get(PIXEL_SPACING).ifPresent(measures::set);
            first.get(SLICE_THICKNESS).ifPresent(measures::set);
            shared.setSequence(0x00289110, List.of(measures)); // PixelMeasuresSequence
        }
        ds.setSequence(0x52009229, List.of(shared)); // SharedFunctionalGroupsSequence
    }

    private static Attributes frameGroup(SourceFrame frame, int segment, int position) {
        Attributes group = new Attributes();
        Attributes derivation = new Attributes();
        Attributes source = reference(frame, true);
        source.setSequence(0x0040A170, List.of(code("121322", "DCM", "Source image for image processing operation")));
        derivation.setSequence(0x00082112, List.of(source)); // SourceImageSequence
        derivation.setSequence(0x00089215, List.of(code("113076", "DCM", "Segmentation"))); // DerivationCodeSequence
        group.setSequence(0x00089124, List.of(derivation)); // DerivationImageSequence
        Attributes content = new Attributes();
        content.setInt(0x00209157, VR.UL, segment, position); // DimensionIndexValues
        content.setInt(0x00209057, VR.UL, position); // InStackPositionNumber
        group.setSequence(0x00209111, List.of(content)); // FrameContentSequence
        frame.header().get(SeriesOrder.IMAGE_POSITION_PATIENT).ifPresent(e -> {
            Attributes plane = new Attributes();
            plane.set(e);
            group.setSequence(0x00209113, List.of(plane)); // PlanePositionSequence
        });
        Attributes id = new Attributes();
        id.setInt(REFERENCED_SEGMENT_NUMBER, VR.US, segment);
        group.setSequence(0x0062000A, List.of(id)); // SegmentIdentificationSequence
        return group;
    }

    private static Attributes reference(SourceFrame frame, boolean withFrame) {
        Attributes ref = new Attributes();
        ref.setString(REFERENCED_SOP_CLASS_UID, VR.UI, frame.sopClassUid());
        ref.setString(REFERENCED_SOP_INSTANCE_UID, VR.UI, frame.sopInstanceUid());
        if (withFrame && frame.header().getInt(Tag.NumberOfFrames, 1) > 1) {
            ref.setString(REFERENCED_FRAME_NUMBER, VR.IS, Integer.toString(frame.frameNumber()));
        }
        return ref;
    }

    private static Attributes code(String value, String scheme, String meaning) {
        Attributes c = new Attributes();
        c.setString(0x00080100, VR.SH, value);
        c.setString(0x00080102, VR.SH, scheme);
        c.setString(0x00080104, VR.LO, meaning);
        return c;
    }

    /** An attribute tag as the AT VR stores it: group then element, little endian. */
    private static byte[] at(int tag) {
        return new byte[] {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8)};
    }

    /** A UID under 2.25 from a random UUID: no registered root needed, unique by construction. */
    static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger value = new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        return "2.25." + value;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
