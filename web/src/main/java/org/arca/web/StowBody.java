package org.arca.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.arca.core.ArcaException;
import org.arca.core.BlobStore;
import org.arca.dicomweb.DicomStore;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Reads one STOW-RS body part by part with Jetty's multipart parser (a Boyer–Moore boundary search, where
 * commons-fileupload compared byte by byte and cost a fifth of STOW's CPU). Each DICOM part's bytes go
 * straight into a {@link BlobStore.Writer} as they arrive; when the part ends it is handed to
 * {@link DicomStore}. A part cut off by a broken body leaves nothing. Single use, one thread.
 */
final class StowBody implements MultiPart.Parser.Listener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StowBody.class);
    private static final int READ_SIZE = 64 * 1024;
    private static final int MAX_PART_HEADERS = 8 * 1024;

    /** What to do with one part once its content has arrived. */
    interface PartStore {
        DicomStore.Outcome store(BlobStore.Blob blob);
    }

    private final BlobStore blobs;
    private final long maxPartBytes;
    private final PartStore store;
    private final List<DicomStore.Outcome> outcomes = new ArrayList<>();
    private String partType;
    private BlobStore.Writer writer;
    /** Why the current part cannot be stored (not DICOM, too large); its bytes are skipped. */
    private DicomStore.Outcome refused;
    /** The parser finished, or gave up on a broken body. */
    private boolean done;

    StowBody(BlobStore blobs, long maxPartBytes, PartStore store) {
        this.blobs = blobs;
        this.maxPartBytes = maxPartBytes;
        this.store = store;
    }

    /** Parses the whole body and returns each part's outcome, in order. */
    List<DicomStore.Outcome> read(InputStream in, String boundary) {
        MultiPart.Parser parser = new MultiPart.Parser(boundary, this);
        parser.setMaxParts(Long.MAX_VALUE);
        parser.setPartHeadersMaxLength(MAX_PART_HEADERS);
        // One buffer for the whole body: the parser copies header text, hands content slices to onPartContent
        // (which copies them into the blob writer at once) and keeps a partial boundary as a count, not as bytes.
        byte[] bytes = new byte[READ_SIZE];
        try {
            while (!done) {
                int n = in.read(bytes);
                if (n < 0) {
                    parser.parse(Content.Chunk.EOF);
                    break;
                }
                parser.parse(Content.Chunk.from(ByteBuffer.wrap(bytes, 0, n), false));
            }
        } catch (IOException e) {
            onFailure(e);
        }
        if (!done) {
            onFailure(new IOException("the body ended before its closing boundary"));
        }
        return outcomes;
    }

    @Override
    public void onPartBegin() {
        partType = null;
        refused = null;
    }

    @Override
    public void onPartHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            partType = value.split(";")[0].strip().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void onPartHeaders() {
        if (partType != null && !partType.equals("application/dicom")) {
            refused = DicomStore.unreadable(DicomStore.CANNOT_UNDERSTAND, "A part of type " + partType + " is not DICOM.");
        } else {
            writer = blobs.writer(maxPartBytes);
        }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
        try {
            if (writer != null && chunk.hasRemaining()) {
                writer.write(chunk.getByteBuffer());
            }
        } catch (ArcaException e) {
            abandonPart();
            refused = DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, e.getMessage());
        } finally {
            chunk.release();
        }
    }

    @Override
    public void onPartEnd() {
        if (refused != null) {
            outcomes.add(refused);
            return;
        }
        try (BlobStore.Writer finished = writer) {
            writer = null;
            outcomes.add(store.store(finished.finish()));
        } catch (ArcaException e) {
            outcomes.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, e.getMessage()));
        } catch (RuntimeException e) {
            // The parser swallows what a listener throws, so a failure must become this part's outcome here.
            LOG.warn("storing a STOW-RS part failed", e);
            outcomes.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, "The instance could not be stored."));
        }
    }

    @Override
    public void onComplete() {
        done = true;
    }

    @Override
    public void onFailure(Throwable failure) {
        if (done) {
            return;
        }
        // A cut-off or malformed body: the broken part stored nothing; earlier parts stand.
        done = true;
        abandonPart();
        outcomes.add(DicomStore.unreadable(DicomStore.PROCESSING_FAILURE, "The request body ended or broke inside a part."));
    }

    private void abandonPart() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
