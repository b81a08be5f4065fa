package org.arca.dicomweb;

import java.util.List;
import java.util.Optional;
import org.arca.dicom.VR;
import org.jooq.Field;

/**
 * The attributes QIDO-RS matches on and returns, each with its tag, VR, the lowest level where it
 * belongs and the index column that holds it.
 */
enum QueryKey {
    STUDY_INSTANCE_UID(0x0020000D, "StudyInstanceUID", VR.UI, QueryLevel.STUDY, IndexTable.STUDY_UID),
    STUDY_DATE(0x00080020, "StudyDate", VR.DA, QueryLevel.STUDY, IndexTable.STUDY_DATE),
    STUDY_TIME(0x00080030, "StudyTime", VR.TM, QueryLevel.STUDY, IndexTable.STUDY_TIME),
    ACCESSION_NUMBER(0x00080050, "AccessionNumber", VR.SH, QueryLevel.STUDY, IndexTable.ACCESSION_NUMBER),
    REFERRING_PHYSICIAN_NAME(0x00080090, "ReferringPhysicianName", VR.PN, QueryLevel.STUDY, IndexTable.REFERRING_PHYSICIAN,
            IndexTable.REFERRING_PHYSICIAN_MATCH),
    STUDY_DESCRIPTION(0x00081030, "StudyDescription", VR.LO, QueryLevel.STUDY, IndexTable.STUDY_DESCRIPTION),
    PATIENT_NAME(0x00100010, "PatientName", VR.PN, QueryLevel.STUDY, IndexTable.PATIENT_NAME,
            IndexTable.PATIENT_NAME_MATCH),
    PATIENT_ID(0x00100020, "PatientID", VR.LO, QueryLevel.STUDY, IndexTable.PATIENT_ID),
    PATIENT_BIRTH_DATE(0x00100030, "PatientBirthDate", VR.DA, QueryLevel.STUDY, IndexTable.PATIENT_BIRTH_DATE),
    PATIENT_SEX(0x00100040, "PatientSex", VR.CS, QueryLevel.STUDY, IndexTable.PATIENT_SEX),
    STUDY_ID(0x00200010, "StudyID", VR.SH, QueryLevel.STUDY, IndexTable.STUDY_ID),
    MODALITIES_IN_STUDY(0x00080061, "ModalitiesInStudy", VR.CS, QueryLevel.STUDY, IndexTable.MODALITY),
    SERIES_INSTANCE_UID(0x0020000E, "SeriesInstanceUID", VR.UI, QueryLevel.SERIES, IndexTable.SERIES_UID),
    MODALITY(0x00080060, "Modality", VR.CS, QueryLevel.SERIES, IndexTable.MODALITY),
    SERIES_NUMBER(0x00200011, "SeriesNumber", VR.IS, QueryLevel.SERIES, IndexTable.SERIES_NUMBER),
    SERIES_DESCRIPTION(0x0008103E, "SeriesDescription", VR.LO, QueryLevel.SERIES, IndexTable.SERIES_DESCRIPTION),
    SERIES_DATE(0x00080021, "SeriesDate", VR.DA, QueryLevel.SERIES, IndexTable.SERIES_DATE),
    BODY_PART_EXAMINED(0x00180015, "BodyPartExamined", VR.CS, QueryLevel.SERIES, IndexTable.BODY_PART),
    SOP_INSTANCE_UID(0x00080018, "SOPInstanceUID", VR.UI, QueryLevel.INSTANCE, IndexTable.SOP_INSTANCE_UID),
    SOP_CLASS_UID(0x00080016, "SOPClassUID", VR.UI, QueryLevel.INSTANCE, IndexTable.SOP_CLASS_UID),
    INSTANCE_NUMBER(0x00200013, "InstanceNumber", VR.IS, QueryLevel.INSTANCE, IndexTable.INSTANCE_NUMBER),
    ROWS(0x00280010, "Rows", VR.US, QueryLevel.INSTANCE, IndexTable.ROWS),
    COLUMNS(0x00280011, "Columns", VR.US, QueryLevel.INSTANCE, IndexTable.COLUMNS),
    NUMBER_OF_FRAMES(0x00280008, "NumberOfFrames", VR.IS, QueryLevel.INSTANCE, IndexTable.FRAMES),
    BITS_ALLOCATED(0x00280100, "BitsAllocated", VR.US, QueryLevel.INSTANCE, IndexTable.BITS_ALLOCATED);

    final int tag;
    final String keyword;
    final VR vr;
    final QueryLevel level;
    final Field<?> column;
    /** For person names: the column holding their case-folded form, which matching uses by default. */
    final Field<String> foldedColumn;

    QueryKey(int tag, String keyword, VR vr, QueryLevel level, Field<?> column) {
        this(tag, keyword, vr, level, column, null);
    }

    QueryKey(int tag, String keyword, VR vr, QueryLevel level, Field<?> column, Field<String> foldedColumn) {
        this.tag = tag;
        this.keyword = keyword;
        this.vr = vr;
        this.level = level;
        this.column = column;
        this.foldedColumn = foldedColumn;
    }

    /** A key as QIDO spells it: a keyword ({@code PatientID}) or eight hex digits ({@code 00100020}). */
    static Optional<QueryKey> parse(String text) {
        for (QueryKey key : values()) {
            if (key.keyword.equals(text) || String.format("%08X", key.tag).equalsIgnoreCase(text)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** Keys that make sense at a level: its own and those of the levels above. */
    boolean appliesTo(QueryLevel queried) {
        return level.ordinal() <= queried.ordinal();
    }

    /**
     * What a match at a level returns: its own attributes and those of the levels above (PS3.18 6.7.1.2.2),
     * so a series or instance search without a study in its path still says whose it is.
     */
    static List<QueryKey> returnedAt(QueryLevel level) {
        return java.util.Arrays.stream(values())
                .filter(k -> k.level.ordinal() <= level.ordinal())
                .filter(k -> level == QueryLevel.STUDY || k != MODALITIES_IN_STUDY)
                .toList();
    }
}
