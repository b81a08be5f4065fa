package org.arca.dicom;

import java.util.Map;

/** The SOP Class UIDs Arca names (PS3.6 Annex A), with their names for display. */
public final class SopClass {
    private SopClass() {
    }

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1";
    public static final String DX_IMAGE_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1";
    public static final String MAMMOGRAPHY_IMAGE_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.2";
    public static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String ENHANCED_CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2.1";
    public static final String US_MULTIFRAME_IMAGE = "1.2.840.10008.5.1.4.1.1.3.1";
    public static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    public static final String ENHANCED_MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4.1";
    public static final String US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1";
    public static final String SECONDARY_CAPTURE_IMAGE = "1.2.840.10008.5.1.4.1.1.7";
    public static final String MULTIFRAME_SINGLE_BIT_SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7.1";
    public static final String MULTIFRAME_GRAYSCALE_BYTE_SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7.2";
    public static final String MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7.3";
    public static final String MULTIFRAME_TRUE_COLOR_SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7.4";
    public static final String XA_IMAGE = "1.2.840.10008.5.1.4.1.1.12.1";
    public static final String NM_IMAGE = "1.2.840.10008.5.1.4.1.1.20";
    public static final String VL_WHOLE_SLIDE_MICROSCOPY_IMAGE = "1.2.840.10008.5.1.4.1.1.77.1.6";
    public static final String PET_IMAGE = "1.2.840.10008.5.1.4.1.1.128";
    public static final String ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1";
    public static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";
    public static final String ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22";
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    public static final String SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4";
    public static final String RT_STRUCTURE_SET = "1.2.840.10008.5.1.4.1.1.481.3";
    public static final String RT_DOSE = "1.2.840.10008.5.1.4.1.1.481.2";
    public static final String RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5";
    public static final String GRAYSCALE_SOFTCOPY_PRESENTATION_STATE = "1.2.840.10008.5.1.4.1.1.11.1";
    public static final String KEY_OBJECT_SELECTION_DOCUMENT = "1.2.840.10008.5.1.4.1.1.88.59";
    public static final String RAW_DATA = "1.2.840.10008.5.1.4.1.1.66";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(VERIFICATION, "Verification SOP Class"),
            Map.entry(CR_IMAGE, "Computed Radiography Image Storage"),
            Map.entry(DX_IMAGE_PRESENTATION, "Digital X-Ray Image Storage - For Presentation"),
            Map.entry(MAMMOGRAPHY_IMAGE_PRESENTATION, "Digital Mammography X-Ray Image Storage - For Presentation"),
            Map.entry(CT_IMAGE, "CT Image Storage"),
            Map.entry(ENHANCED_CT_IMAGE, "Enhanced CT Image Storage"),
            Map.entry(US_MULTIFRAME_IMAGE, "Ultrasound Multi-frame Image Storage"),
            Map.entry(MR_IMAGE, "MR Image Storage"),
            Map.entry(ENHANCED_MR_IMAGE, "Enhanced MR Image Storage"),
            Map.entry(US_IMAGE, "Ultrasound Image Storage"),
            Map.entry(SECONDARY_CAPTURE_IMAGE, "Secondary Capture Image Storage"),
            Map.entry(MULTIFRAME_SINGLE_BIT_SC_IMAGE, "Multi-frame Single Bit Secondary Capture Image Storage"),
            Map.entry(MULTIFRAME_GRAYSCALE_BYTE_SC_IMAGE, "Multi-frame Grayscale Byte Secondary Capture Image Storage"),
            Map.entry(MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE, "Multi-frame Grayscale Word Secondary Capture Image Storage"),
            Map.entry(MULTIFRAME_TRUE_COLOR_SC_IMAGE, "Multi-frame True Color Secondary Capture Image Storage"),
            Map.entry(XA_IMAGE, "X-Ray Angiographic Image Storage"),
            Map.entry(NM_IMAGE, "Nuclear Medicine Image Storage"),
            Map.entry(VL_WHOLE_SLIDE_MICROSCOPY_IMAGE, "VL Whole Slide Microscopy Image Storage"),
            Map.entry(PET_IMAGE, "Positron Emission Tomography Image Storage"),
            Map.entry(ENCAPSULATED_PDF, "Encapsulated PDF Storage"),
            Map.entry(BASIC_TEXT_SR, "Basic Text SR Storage"),
            Map.entry(ENHANCED_SR, "Enhanced SR Storage"),
            Map.entry(COMPREHENSIVE_SR, "Comprehensive SR Storage"),
            Map.entry(SEGMENTATION, "Segmentation Storage"),
            Map.entry(RT_STRUCTURE_SET, "RT Structure Set Storage"),
            Map.entry(RT_DOSE, "RT Dose Storage"),
            Map.entry(RT_PLAN, "RT Plan Storage"),
            Map.entry(GRAYSCALE_SOFTCOPY_PRESENTATION_STATE, "Grayscale Softcopy Presentation State Storage"),
            Map.entry(KEY_OBJECT_SELECTION_DOCUMENT, "Key Object Selection Document Storage"),
            Map.entry(RAW_DATA, "Raw Data Storage"));

    private static final java.util.Set<String> SECONDARY_CAPTURES = java.util.Set.of(SECONDARY_CAPTURE_IMAGE,
            MULTIFRAME_SINGLE_BIT_SC_IMAGE, MULTIFRAME_GRAYSCALE_BYTE_SC_IMAGE, MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE,
            MULTIFRAME_TRUE_COLOR_SC_IMAGE);

    /**
     * The Modality values an instance of this class stands for when it carries none: for the secondary capture
     * classes, whose converters (DCMTK's img2dcm among them) may leave Modality out, OT ("other", the defined term
     * converted images usually carry) and SC (the code some lists use for secondary captures); nothing for others.
     */
    public static java.util.List<String> impliedModalities(String uid) {
        return SECONDARY_CAPTURES.contains(uid) ? java.util.List.of("OT", "SC") : java.util.List.of();
    }

    /** The PS3.6 name of a SOP Class UID Arca knows, or the UID itself. */
    public static String nameOf(String uid) {
        return NAMES.getOrDefault(uid, uid);
    }
}
