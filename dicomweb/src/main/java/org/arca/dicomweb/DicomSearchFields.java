package org.arca.dicomweb;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.arca.core.Database;
import org.arca.core.StoredFile;
import org.arca.core.search.SearchContributor;
import org.arca.core.search.SearchFields;
import org.jooq.Record;

/**
 * Gives the search index what the DICOM index holds about an instance file: modality, body part, study and
 * series descriptions, patient ID and accession number as stored, the study and series UIDs, and the study
 * date as the date the document is about, and the study and series as the groups a search can answer with.
 * Reads the index row; never parses the file again.
 */
public final class DicomSearchFields implements SearchContributor {
    private final Database db;

    public DicomSearchFields(Database db) {
        this.db = db;
    }

    @Override
    public void contribute(StoredFile file, SearchFields fields) {
        Record row = db.dsl().select(IndexTable.ALL).from(IndexTable.T).where(IndexTable.FILE_ID.eq(file.id())).fetchOne();
        if (row == null) {
            return;
        }
        fields.attribute("modality", row.get(IndexTable.MODALITY))
                .attribute("bodypart", row.get(IndexTable.BODY_PART))
                .attribute("studydescription", row.get(IndexTable.STUDY_DESCRIPTION))
                .attribute("seriesdescription", row.get(IndexTable.SERIES_DESCRIPTION))
                .attribute("patientid", row.get(IndexTable.PATIENT_ID))
                .attribute("accession", row.get(IndexTable.ACCESSION_NUMBER))
                .attribute("studyuid", row.get(IndexTable.STUDY_UID))
                .attribute("seriesuid", row.get(IndexTable.SERIES_UID))
                .date(date(row.get(IndexTable.STUDY_DATE)))
                // A search can answer studies or series instead of instances (group=study|series).
                .group("study", row.get(IndexTable.STUDY_UID), label(row.get(IndexTable.STUDY_DESCRIPTION), "Study",
                        row.get(IndexTable.STUDY_DATE)))
                .group("series", row.get(IndexTable.SERIES_UID), label(row.get(IndexTable.SERIES_DESCRIPTION),
                        row.get(IndexTable.MODALITY) == null ? "Series" : row.get(IndexTable.MODALITY) + " series", null));
    }

    /** The description when there is one, else what the group is and, for a study, its date. */
    private static String label(String description, String what, String da) {
        if (description != null && !description.isBlank()) {
            return description;
        }
        LocalDate date = date(da);
        return date == null ? what + " without a description" : what + " of " + date;
    }

    private static LocalDate date(String da) {
        if (da == null || da.length() != 8) {
            return null;
        }
        try {
            return LocalDate.parse(da, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null; // a malformed DA is not a date to filter by
        }
    }
}
