package org.arca.dicomweb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Facts;
import org.arca.core.Item;
import org.arca.core.ItemStore;
import org.arca.core.PutBatcher;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Stores DICOM instances one at a time (the STOW-RS service, without HTTP): the bytes stream into the blob
 * store, the header is read from there, and only a valid instance whose SOP Instance UID names no other instance
 * the caller may read becomes an item named after that UID (bytes already in the target folder are not stored twice). Refusals carry the PS3.4/PS3.18 failure reason; nothing stored is
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
        this.commits = repo.batcher();
    }

    /** Checks the caller may add instances to the folder, before any byte is read. */
    public void checkTarget(Caller caller, String folderId) {
        repo.items().checkUpload(caller, folderId, "instance.dcm", true);
    }

    /** Starts one request's instances (a STOW-RS request's parts), to be committed together by {@link Request#finish}. */
    public Request begin(Caller caller, String folderId, String requiredStudyUid) {
        return new Request(caller, folderId, requiredStudyUid);
    }

    /**
     * One request's instances: each is checked as it arrives ({@link #add}), and those to be stored are committed
     * together at the end, sharing transactions and one wait for durability instead of one each. An instance sent
     * twice in one request is stored once; a second one with the same SOP Instance UID and other content is a
     * duplicate, as it would be in a later request. Not thread-safe: one request's parts arrive in order.
     */
    public final class Request {
        private final Caller caller;
        private final String folderId;
        private final String requiredStudyUid;
        /** Per part in order: its outcome once known, or the upload it waits to commit. */
        private final List<Part> parts = new ArrayList<>();
        private final Map<String, Pending> pendingBySop = new HashMap<>();

        private Request(Caller caller, String folderId, String requiredStudyUid) {
            this.caller = caller;
            this.folderId = folderId;
            this.requiredStudyUid = requiredStudyUid;
        }

        /** Checks one instance; its outcome comes with {@link #finish}. */
        public void add(BlobStore.Blob blob) {
            parts.add(check(blob));
        }

        /** An outcome decided elsewhere (a part that could not be read as a part), kept in its place. */
        public void add(Outcome decided) {
            parts.add(new Decided(decided));
        }

        /** Commits the instances waiting to be stored and returns every part's outcome, in order. */
        public List<Outcome> finish() {
            List<Pending> pending = parts.stream().filter(p -> p instanceof Pending).map(p -> (Pending) p)
                    .filter(p -> p.sameAs == null).toList();
            List<ItemStore.PutResult> results = commits.putAll(caller, pending.stream().map(p -> p.upload).toList());
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).result = results.get(i);
            }
            return parts.stream().map(Part::outcome).toList();
        }

        private Part check(BlobStore.Blob blob) {
            Part checked = DicomStore.this.check(caller, folderId, requiredStudyUid, blob);
            if (!(checked instanceof Pending fresh)) {
                return checked;
            }
            Pending earlier = pendingBySop.putIfAbsent(fresh.sop, fresh);
            if (earlier == null) {
                return fresh;
            }
            if (!earlier.upload.put().blob().sha256().equals(blob.sha256())) {
                return new Decided(failure(fresh.sopClass, fresh.sop, fresh.study, DUPLICATE_SOP_INSTANCE,
                        "Another instance of this request has this SOP Instance UID and other content."));
            }
            fresh.sameAs = earlier;
            return fresh;
        }
    }

    /** One part of a request: its outcome is decided by the checks, or once its request commits. */
    private sealed interface Part permits Decided, Pending {
        Outcome outcome();
    }

    /** A part the checks decided (refused, or the same bytes already stored). */
    private record Decided(Outcome outcome) implements Part {
    }

    /** An instance that passed the checks and waits for its request's commit. */
    private static final class Pending implements Part {
        final String sopClass;
        final String sop;
        final String study;
        final String series;
        final PutBatcher.Known upload;
        /** The earlier part of the same request with the same bytes, whose item this one is. */
        Pending sameAs;
        ItemStore.PutResult result;

        Pending(String sopClass, String sop, String study, String series, PutBatcher.Known upload) {
            this.sopClass = sopClass;
            this.sop = sop;
            this.study = study;
            this.series = series;
            this.upload = upload;
        }

        @Override
        public Outcome outcome() {
            if (sameAs != null) {
                Outcome first = sameAs.outcome();
                return first.stored() ? new Outcome(sopClass, sop, study, series, 0, "already stored", first.item()) : first;
            }
            if (result.refusal() != null) {
                return failure(sopClass, sop, study, PROCESSING_FAILURE, result.refusal().messageWithReasons());
            }
            return new Outcome(sopClass, sop, study, series, 0, "stored", result.item());
        }
    }

    /** The instance's outcome when the checks decide it, else the {@link Pending} upload that stores it. */
    private Part check(Caller caller, String folderId, String requiredStudyUid, BlobStore.Blob blob) {
        DicomFile file;
        try {
            if (!DicomIndexer.isPart10(repo.blobs().path(blob.sha256()))) {
                return new Decided(failure(null, null, null, CANNOT_UNDERSTAND, "The part is not a DICOM Part 10 instance."));
            }
            file = DicomReader.read(repo.blobs().path(blob.sha256()), DicomReader.Options.DEFAULT.withStopAfter(BEFORE_PIXEL_DATA));
        } catch (DicomFormatException e) {
            return new Decided(failure(null, null, null, CANNOT_UNDERSTAND, "The instance is malformed: " + e.getMessage()));
        } catch (IOException e) {
            return new Decided(failure(null, null, null, PROCESSING_FAILURE, "The instance could not be read back."));
        }
        Attributes ds = file.dataset();
        String sopClass = ds.getString(Tag.SOPClassUID, null);
        String sop = ds.getString(Tag.SOPInstanceUID, null);
        String study = ds.getString(Tag.StudyInstanceUID, null);
        String series = ds.getString(Tag.SeriesInstanceUID, null);
        if (sopClass == null || sop == null || study == null || series == null) {
            return new Decided(failure(sopClass, sop, study, CANNOT_UNDERSTAND,
                    "The instance lacks its SOP Class, SOP Instance, Study or Series Instance UID."));
        }
        if (requiredStudyUid != null && !requiredStudyUid.equals(study)) {
            return new Decided(failure(sopClass, sop, study, STUDY_UID_MISMATCH, "The instance belongs to another study than the request names."));
        }
        // Only instances the caller may read take part: refusing because of one they cannot read would tell them it
        // exists, and would let whoever stores a UID first block its owner's later store into their own folder.
        // Copies of one UID can so coexist in folders different users read; DicomQueries serves one of them.
        Condition readableCopies = IndexTable.SOP_INSTANCE_UID.eq(sop).and(repo.access().readableItem(caller, IndexTable.ITEM_ID));
        // One query for both questions below: a new instance, the common case, finds no row at all.
        Field<Boolean> inTarget = DSL.field(repo.access().itemWithin(folderId, IndexTable.ITEM_ID));
        String sameInTarget = null;
        boolean otherContent = false;
        for (var copy : repo.database().dsl().select(IndexTable.ITEM_ID, IndexTable.SHA256, inTarget).from(IndexTable.T)
                .where(readableCopies).fetch()) {
            if (!copy.value2().equals(blob.sha256())) {
                otherContent = true;
            } else if (Boolean.TRUE.equals(copy.value3())
                    && (sameInTarget == null || copy.value1().compareTo(sameInTarget) < 0)) {
                sameInTarget = copy.value1();
            }
        }
        if (sameInTarget != null) {
            try {
                return new Decided(new Outcome(sopClass, sop, study, series, 0, "already stored",
                        repo.items().get(caller, sameInTarget)));
            } catch (ArcaException e) {
                // Deleted since the lookup: store it anew below.
            }
        }
        if (otherContent) {
            return new Decided(failure(sopClass, sop, study, DUPLICATE_SOP_INSTANCE,
                    "An instance you may read has this SOP Instance UID and other content; it was left unchanged."));
        }
        // New here: identical bytes the caller reads elsewhere (the same study shared into a second project) get
        // an item in this folder too, so the folder's readers see it; the blob store keeps the bytes once.
        // The header read here goes with the upload, so neither the ingest steps nor the index read it again.
        return new Pending(sopClass, sop, study, series, new PutBatcher.Known(
                new ItemStore.Put(folderId, sop + ".dcm", "application/dicom", blob),
                Facts.none().with(ParsedHeader.class, new ParsedHeader(file))));
    }

    /** A part that could not even be read as a part (wrong type, broken body). */
    public static Outcome unreadable(int reason, String message) {
        return failure(null, null, null, reason, message);
    }

    private static Outcome failure(String sopClass, String sop, String study, int reason, String message) {
        return new Outcome(sopClass, sop, study, null, reason, message, null);
    }
}
