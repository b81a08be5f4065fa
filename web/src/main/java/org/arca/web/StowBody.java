package org.arca.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.arca.core.ArcaException;
import org.arca.core.blob.BlobStore;
import org.arca.dicomweb.DicomStore;

/**
 * Stores the parts of one STOW-RS body as {@link MultipartParts} splits them: each DICOM part's bytes go
 * straight into a {@link BlobStore.Writer} as they arrive; when the part ends {@link DicomStore} checks it, and
 * once the body is read the request's instances are committed together. A refused part costs only itself; a part
 * cut off by a broken body leaves nothing.
 * Single use, one thread.
 */
final class StowBody implements MultipartParts.Listener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StowBody.class);

    private final BlobStore blobs;
    private final long maxPartBytes;
    /** The request's instances: each part is checked as it ends, and all are committed once the body is read. */
    private final DicomStore.Request request;
    private BlobStore.Writer writer;
    /** Why the current part cannot be stored (not DICOM, too large); its bytes are skipped. */
    private DicomStore.Outcome refused;

    StowBody(BlobStore blobs, long maxPartBytes, DicomStore.Request request) {
        this.blobs = blobs;
        this.maxPartBytes = maxPartBytes;
        this.request = request;
    }

    /**
     * Reads the whole body, stores its instances together, and returns each part's outcome, in order. A body that
     * breaks off still stores the parts that arrived whole before it.
     */
    List<DicomStore.Outcome> read(InputStream in, String boundary) {
        try {
            new MultipartParts(boundary, MultipartParts.READ_SIZE).read(in, this);
        } catch (IOException e) {
            // partBroken() already recorded the outcome; the cause may name client bytes, so it is not logged.
            LOG.debug("a STOW-RS body ended or broke inside a part");
        }
        return request.finish();
    }

    @Override
    public void partBegins(String contentType) {
        refused = null;
        String type = contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (type != null && !type.equals("application/dicom")) {
            refused = DicomStore.unreadable(DicomStore.CANNOT_UNDERSTAND, "A part of type " + type + " is not DICOM.");
        } else {
            writer = blobs.writer(maxPartBytes);
        }
    }

    @Override
    public void partBytes(ByteBuffer bytes) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(bytes);
        } catch (ArcaException e) {
            abandonPart();
            refused = DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, e.getMessage());
        } catch (RuntimeException e) {
            // Jetty's parser swallows what a listener throws: a failed write must become this part's outcome here.
            LOG.warn("writing a STOW-RS part failed", e);
            abandonPart();
            refused = DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, "The instance could not be stored.");
        }
    }

    @Override
    public void partEnds() {
        if (refused != null) {
            request.add(refused);
            refused = null;
            return;
        }
        try (BlobStore.Writer finished = writer) {
            writer = null;
            request.add(finished.finish());
        } catch (ArcaException e) {
            request.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("storing a STOW-RS part failed", e);
            request.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, "The instance could not be stored."));
        }
    }

    @Override
    public void partBroken() {
        // A cut-off or malformed body: the broken part stored nothing; earlier parts stand.
        abandonPart();
        refused = null;
        request.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, "The request body ended or broke inside a part."));
    }

    private void abandonPart() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
