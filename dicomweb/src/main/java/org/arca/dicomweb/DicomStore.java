package org.arca.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import org.arca.core.ArcaException;
import org.arca.core.BlobStore;
import org.arca.core.Caller;
import org.arca.core.Item;
import org.arca.core.ItemStore;
import org.arca.core.PutBatcher;
import org.arca.core.Repository;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.jooq.Record;

/**
 * Stores DICOM instances one at a time (the STOW-RS service, without HTTP): the bytes stream into the blob
 * store, the header is read from there, and only a valid, new (or byte-identical) instance becomes an item
 * named after its SOP Instance UID. Refusals carry the PS3.4/PS3.18 failure reason; nothing stored is
 * changed by a refusal, and bytes that became no item are left to {@code gc}.
 */
public final class DicomStore {

    /** What happened to one instance. {@code failureReason} is 0 on success. */
    public record Outcome(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid, int failureReason,
                          String message, Item item) {
        public boolean stored() {
            return failureReason == 0;
        }
    }

    /** Processing failure (PS3.4 C.4.2.1.4). */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** Duplicate SOP instance: another instance already has this SOP Instance UID. */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    /** Cannot understand: not DICOM, or malformed. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** The instance belongs to another study than the request's path names (the convention dcm4chee uses). */
    public static final int STUDY_UID_MISMATCH = 0xC409;

    private static final int BEFORE_PIXEL_DATA = Tag.PixelData - 1;

    private final Repository repo;
    /** Concurrent requests' instances commit together: one transaction and one sync for several clients. */
    private final PutBatcher commits;

    public DicomStore(Repository repo) {
        this.repo = repo;
        this.commits = new PutBatcher(repo.items());
    }

    /** Checks the caller may add instances to the folder, before any byte is read. */
    public void checkTarget(Caller caller, String folderId) {
        repo.items().checkUpload(caller, folderId, "instance.dcm", true);
    }

    public Outcome store(Caller caller, String folderId, String requiredStudyUid, InputStream part) {
        return store(caller, folderId, requiredStudyUid, repo.blobs().write(part, -1, repo.items().maxUploadBytes()));
    }

    /** Stores bytes already in the blob store (a part a multipart parser pushed into a {@link BlobStore.Writer}). */
    public Outcome store(Caller caller, String folderId, String requiredStudyUid, BlobStore.Blob blob) {
        Attributes ds;
        try {
            if (!DicomIndexer.isPart10(repo.blobs().path(blob.sha256()))) {
                return failure(null, null, null, CANNOT_UNDERSTAND, "The part is not a DICOM Part 10 instance.");
            }
            DicomFile file = DicomReader.read(repo.blobs().path(blob.sha256()),
                    DicomReader.Options.DEFAULT.withStopAfter(BEFORE_PIXEL_DATA));
            ds = file.dataset();
        } catch (DicomFormatException e) {
            return failure(null, null, null, CANNOT_UNDERSTAND, "The instance is malformed: " + e.getMessage());
        } catch (IOException e) {
            return failure(null, null, null, PROCESSING_FAILURE, "The instance could not be read back.");
        }
        String sopClass = ds.getString(Tag.SOPClassUID, null);
        String sop = ds.getString(Tag.SOPInstanceUID, null);
        String study = ds.getString(Tag.StudyInstanceUID, null);
        String series = ds.getString(Tag.SeriesInstanceUID, null);
        if (sopClass == null || sop == null || study == null || series == null) {
            return failure(sopClass, sop, study, CANNOT_UNDERSTAND,
                    "The instance lacks its SOP Class, SOP Instance, Study or Series Instance UID.");
        }
        if (requiredStudyUid != null && !requiredStudyUid.equals(study)) {
            return failure(sopClass, sop, study, STUDY_UID_MISMATCH, "The instance belongs to another study than the request names.");
        }
        Record existing = repo.database().dsl().select(IndexTable.ITEM_ID, IndexTable.SHA256).from(IndexTable.T)
                .where(IndexTable.SOP_INSTANCE_UID.eq(sop)).limit(1).fetchOne();
        if (existing != null) {
            if (!existing.get(IndexTable.SHA256).equals(blob.sha256())) {
                return failure(sopClass, sop, study, DUPLICATE_SOP_INSTANCE,
                        "Another instance with this SOP Instance UID is stored; it was left unchanged.");
            }
            try {
                return new Outcome(sopClass, sop, study, series, 0, "already stored",
                        repo.items().get(caller, existing.get(IndexTable.ITEM_ID)));
            } catch (ArcaException e) {
                // Identical bytes stored where the caller cannot see them: store a copy where they asked.
            }
        }
        ItemStore.PutResult put = commits.put(caller, new ItemStore.Put(folderId, sop + ".dcm", "application/dicom", blob));
        if (put.refusal() != null) {
            return failure(sopClass, sop, study, PROCESSING_FAILURE, put.refusal().getMessage());
        }
        return new Outcome(sopClass, sop, study, series, 0, "stored", put.item());
    }

    /** A part that could not even be read as a part (wrong type, broken body). */
    public static Outcome unreadable(int reason, String message) {
        return failure(null, null, null, reason, message);
    }

    private static Outcome failure(String sopClass, String sop, String study, int reason, String message) {
        return new Outcome(sopClass, sop, study, null, reason, message, null);
    }
}
