package org.arca.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.Facts;
import org.arca.core.IngestStep;
import org.arca.core.Item;
import org.arca.core.ItemListener;
import org.arca.core.StoredBytes;
import org.arca.core.StoredFile;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.jooq.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the DICOM index in step with the repository: every item committed through any surface whose
 * file is a DICOM Part 10 file is parsed up to (not including) its pixel data and indexed; deleted items
 * leave the index with their rows. Malformed DICOM is logged (without its contents) and not indexed.
 */
public final class DicomIndexer implements ItemListener {
    private static final Logger LOG = LoggerFactory.getLogger(DicomIndexer.class);
    private static final int BEFORE_PIXEL_DATA = Tag.PixelData - 1;
    private static final int BODY_PART_EXAMINED = 0x00180015;
    private static final int SERIES_DATE = 0x00080021;

    private final Database db;
    private final StoredBytes bytes;

    /** {@code bytes}: where the indexer reads each item's file, as Arca itself ({@link Caller#SYSTEM}). */
    public DicomIndexer(Database db, StoredBytes bytes) {
        this.db = db;
        this.bytes = bytes;
    }

    /**
     * The ingest step that reads each DICOM upload's header once, for the steps after it and for this index. Other
     * uploads, and DICOM too malformed to read, pass unchanged: which surfaces take what is not theirs to decide.
     */
    public IngestStep headerStep() {
        return arrival -> {
            if (arrival.facts().get(ParsedHeader.class).isPresent()) {
                return IngestStep.accept();
            }
            Path path = arrival.path();
            try {
                if (!isPart10(path)) {
                    return IngestStep.accept();
                }
                DicomFile dicom = DicomReader.read(path, DicomReader.Options.DEFAULT.withStopAfter(BEFORE_PIXEL_DATA));
                return IngestStep.accept(Facts.none().with(ParsedHeader.class, new ParsedHeader(dicom)));
            } catch (IOException e) {
                // Malformed DICOM is an IOException too. The index logs it when the item is committed; the upload itself is stored as sent.
                return IngestStep.accept();
            }
        };
    }

    /**
     * New items' rows go in with one statement however many there are (STOW-RS clients' instances are committed
     * together); replaced and deleted ones each on their own.
     */
    @Override
    public void itemsChanged(List<ItemEvent> events) {
        List<Map<Field<?>, Object>> rows = new ArrayList<>();
        for (ItemEvent event : events) {
            if (event.change() != Change.CREATED) {
                itemChanged(event);
                continue;
            }
            Item item = event.item();
            DicomFile dicom = header(item, event.facts());
            Map<Field<?>, Object> row = dicom == null ? null : row(item, item.primaryFile(), dicom);
            if (row != null) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        var insert = db.dsl().insertInto(IndexTable.T).set(rows.get(0));
        for (Map<Field<?>, Object> row : rows.subList(1, rows.size())) {
            insert = insert.newRecord().set(row);
        }
        insert.execute();
    }

    @Override
    public void itemChanged(ItemEvent event) {
        if (event.change() == Change.DELETED) {
            db.dsl().deleteFrom(IndexTable.T).where(IndexTable.ITEM_ID.eq(event.item().id())).execute();
            return;
        }
        index(event.item(), event.change() == Change.CREATED, event.facts());
    }

    /** {@code fresh}: the item was just created, so it has no index row to replace. */
    private boolean index(Item item, boolean fresh, Facts facts) {
        DicomFile dicom = header(item, facts);
        if (dicom == null) {
            return false;
        }
        Map<Field<?>, Object> row = row(item, item.primaryFile(), dicom);
        if (row == null) {
            return false;
        }
        if (!fresh) {
            db.dsl().deleteFrom(IndexTable.T).where(IndexTable.ITEM_ID.eq(item.id())).execute();
        }
        db.dsl().insertInto(IndexTable.T).set(row).execute();
        return true;
    }

    /**
     * The item's DICOM header, as the ingest steps read it or read now; null when its one file is not DICOM or is too
     * malformed to index (logged without its contents).
     */
    private DicomFile header(Item item, Facts facts) {
        if (item.files().size() != 1) {
            return null;
        }
        try {
            DicomFile dicom = facts.get(ParsedHeader.class).map(ParsedHeader::file).orElse(null);
            if (dicom != null) {
                return dicom;
            }
            StoredFile file = item.primaryFile();
            Path path;
            try {
                path = bytes.read(Caller.SYSTEM, file, StoredBytes.Audit.partOf("dicom.index")).path(file.sha256());
            } catch (ArcaException gone) {
                return null; // deleted since it was committed: its delete event removes whatever the index holds
            }
            return isPart10(path) ? DicomReader.read(path, DicomReader.Options.DEFAULT.withStopAfter(BEFORE_PIXEL_DATA)) : null;
        } catch (DicomFormatException e) {
            LOG.warn("item {} looks like DICOM but is malformed ({}); not indexed", item.id(), e.getMessage());
            return null;
        } catch (IOException e) {
            LOG.warn("item {} could not be read for the DICOM index", item.id(), e);
            return null;
        }
    }

    /** Part 10 files carry "DICM" after a 128-byte preamble. */
    static boolean isPart10(Path path) throws IOException {
        if (Files.size(path) < 132) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(132);
            return Arrays.equals(head, 128, 132, new byte[] {'D', 'I', 'C', 'M'}, 0, 4);
        }
    }

    /** The index row of an instance, or null (logged) when it lacks a UID the index is keyed by. */
    private static Map<Field<?>, Object> row(Item item, StoredFile file, DicomFile dicom) {
        Attributes ds = dicom.dataset();
        String sop = ds.getString(Tag.SOPInstanceUID, null);
        String study = ds.getString(Tag.StudyInstanceUID, null);
        String series = ds.getString(Tag.SeriesInstanceUID, null);
        if (sop == null || study == null || series == null) {
            LOG.warn("item {} is DICOM without study, series or instance UID; not indexed", item.id());
            return null;
        }
        String name = ds.getString(Tag.PatientName, null);
        String referring = ds.getString(Tag.ReferringPhysicianName, null);
        return new RowValues()
                .set(IndexTable.ITEM_ID, item.id()).set(IndexTable.FILE_ID, file.id()).set(IndexTable.SHA256, file.sha256())
                .set(IndexTable.SIZE, file.size()).set(IndexTable.TRANSFER_SYNTAX, dicom.transferSyntax().uid())
                .set(IndexTable.SOP_INSTANCE_UID, sop).set(IndexTable.SOP_CLASS_UID, ds.getString(Tag.SOPClassUID, ""))
                .set(IndexTable.STUDY_UID, study).set(IndexTable.SERIES_UID, series)
                .set(IndexTable.PATIENT_ID, cut(ds.getString(Tag.PatientID, null), 64))
                .set(IndexTable.PATIENT_NAME, cut(name, 324))
                .set(IndexTable.PATIENT_NAME_FUZZY, cut(fuzzy(name), 324))
                .set(IndexTable.PATIENT_NAME_MATCH, cut(PersonNameCase.fold(name), 324))
                .set(IndexTable.PATIENT_BIRTH_DATE, cut(ds.getString(Tag.PatientBirthDate, null), 8))
                .set(IndexTable.PATIENT_SEX, cut(ds.getString(Tag.PatientSex, null), 16))
                .set(IndexTable.STUDY_DATE, cut(ds.getString(Tag.StudyDate, null), 8))
                .set(IndexTable.STUDY_TIME, cut(ds.getString(Tag.StudyTime, null), 16))
                .set(IndexTable.ACCESSION_NUMBER, cut(ds.getString(Tag.AccessionNumber, null), 16))
                .set(IndexTable.STUDY_ID, cut(ds.getString(Tag.StudyID, null), 16))
                .set(IndexTable.STUDY_DESCRIPTION, cut(ds.getString(Tag.StudyDescription, null), 64))
                .set(IndexTable.REFERRING_PHYSICIAN, cut(referring, 324))
                .set(IndexTable.REFERRING_PHYSICIAN_MATCH, cut(PersonNameCase.fold(referring), 324))
                .set(IndexTable.MODALITY, cut(ds.getString(Tag.Modality, null), 16))
                .set(IndexTable.SERIES_NUMBER, integer(ds, Tag.SeriesNumber))
                .set(IndexTable.SERIES_DESCRIPTION, cut(ds.getString(Tag.SeriesDescription, null), 64))
                .set(IndexTable.SERIES_DATE, cut(ds.getString(SERIES_DATE, null), 8))
                .set(IndexTable.BODY_PART, cut(ds.getString(BODY_PART_EXAMINED, null), 16))
                .set(IndexTable.INSTANCE_NUMBER, integer(ds, Tag.InstanceNumber))
                .set(IndexTable.ROWS, integer(ds, Tag.Rows))
                .set(IndexTable.COLUMNS, integer(ds, Tag.Columns))
                .set(IndexTable.FRAMES, integer(ds, Tag.NumberOfFrames))
                .set(IndexTable.BITS_ALLOCATED, integer(ds, Tag.BitsAllocated))
                .values;
    }

    /** A row's values by column, in the order they are set (null values included: a row of a batch sets every column). */
    private static final class RowValues {
        final Map<Field<?>, Object> values = new LinkedHashMap<>();

        <T> RowValues set(Field<T> field, T value) {
            values.put(field, value);
            return this;
        }
    }

    private static Integer integer(Attributes ds, int tag) {
        try {
            var value = ds.intValue(tag);
            return value.isPresent() ? value.getAsInt() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Person names for fuzzy matching: upper case, accents removed, so "müller" finds "MULLER". */
    static String fuzzy(String name) {
        if (name == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return decomposed.toUpperCase(Locale.ROOT);
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
