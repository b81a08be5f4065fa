package org.arca.dicomweb;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The DICOM index table as jOOQ sees it; kept in step with {@code db/dicom}. */
final class IndexTable {
    private IndexTable() {
    }

    private static Field<String> text(String column) {
        return field(name("dicom_instances", column), String.class);
    }

    private static Field<Integer> number(String column) {
        return field(name("dicom_instances", column), Integer.class);
    }

    static final Table<Record> T = table(name("dicom_instances"));
    static final Field<String> ITEM_ID = text("item_id");
    static final Field<String> FILE_ID = text("file_id");
    static final Field<String> SHA256 = text("sha256");
    static final Field<Long> SIZE = field(name("dicom_instances", "size_bytes"), Long.class);
    static final Field<String> TRANSFER_SYNTAX = text("transfer_syntax");
    static final Field<String> SOP_INSTANCE_UID = text("sop_instance_uid");
    static final Field<String> SOP_CLASS_UID = text("sop_class_uid");
    static final Field<String> STUDY_UID = text("study_uid");
    static final Field<String> SERIES_UID = text("series_uid");
    static final Field<String> PATIENT_ID = text("patient_id");
    static final Field<String> PATIENT_NAME = text("patient_name");
    static final Field<String> PATIENT_NAME_FUZZY = text("patient_name_fuzzy");
    /** {@link PersonNameCase#fold case-folded} names, for the default case-insensitive matching. */
    static final Field<String> PATIENT_NAME_MATCH = text("patient_name_match");
    static final Field<String> PATIENT_BIRTH_DATE = text("patient_birth_date");
    static final Field<String> PATIENT_SEX = text("patient_sex");
    static final Field<String> STUDY_DATE = text("study_date");
    static final Field<String> STUDY_TIME = text("study_time");
    static final Field<String> ACCESSION_NUMBER = text("accession_number");
    static final Field<String> STUDY_ID = text("study_id");
    static final Field<String> STUDY_DESCRIPTION = text("study_description");
    static final Field<String> REFERRING_PHYSICIAN = text("referring_physician");
    static final Field<String> REFERRING_PHYSICIAN_MATCH = text("referring_physician_match");
    static final Field<String> MODALITY = text("modality");
    static final Field<Integer> SERIES_NUMBER = number("series_number");
    static final Field<String> SERIES_DESCRIPTION = text("series_description");
    static final Field<String> SERIES_DATE = text("series_date");
    static final Field<String> BODY_PART = text("body_part");
    static final Field<Integer> INSTANCE_NUMBER = number("instance_number");
    static final Field<Integer> ROWS = number("image_rows");
    static final Field<Integer> COLUMNS = number("image_columns");
    static final Field<Integer> FRAMES = number("number_of_frames");
    static final Field<Integer> BITS_ALLOCATED = number("bits_allocated");

    static final Field<?>[] ALL = {ITEM_ID, FILE_ID, SHA256, SIZE, TRANSFER_SYNTAX, SOP_INSTANCE_UID, SOP_CLASS_UID, STUDY_UID,
            SERIES_UID, PATIENT_ID, PATIENT_NAME, PATIENT_NAME_FUZZY, PATIENT_BIRTH_DATE, PATIENT_SEX, STUDY_DATE, STUDY_TIME,
            ACCESSION_NUMBER, STUDY_ID, STUDY_DESCRIPTION, REFERRING_PHYSICIAN, MODALITY, SERIES_NUMBER, SERIES_DESCRIPTION,
            SERIES_DATE, BODY_PART, INSTANCE_NUMBER, ROWS, COLUMNS, FRAMES, BITS_ALLOCATED};
}
