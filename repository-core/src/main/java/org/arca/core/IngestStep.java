package org.arca.core;

import java.util.List;
import org.arca.core.blob.BlobStore;

/**
 * One step every upload passes after its bytes are durable and before any row names them, in the order the steps
 * were installed ({@link Ingest}). A step may let the upload through (perhaps with facts it learnt), refuse it with
 * reasons the client is told, or put other bytes in its place. A step never writes rows: what it decides is
 * stored, or not, by the one transaction that follows.
 */
@FunctionalInterface
public interface IngestStep {

    Verdict examine(Arrival arrival);

    /** What a step decided. */
    sealed interface Verdict permits Accept, Refuse, Rewrite {
    }

    /** Let through, with what the step learnt of the bytes. */
    record Accept(Facts learnt) implements Verdict {
    }

    /**
     * Refused: nothing is stored. {@code reasons} name each problem (an attribute's tag path, say) and never echo a
     * value, since the value may be what must not be stored or shown.
     */
    record Refuse(String message, List<String> reasons) implements Verdict {
        public Refuse {
            reasons = List.copyOf(reasons);
        }
    }

    /** Stored as {@code blob} instead (already in the blob store), with what the step knows of the new bytes. */
    record Rewrite(BlobStore.Blob blob, String mediaType, Facts facts) implements Verdict {
    }

    static Verdict accept() {
        return new Accept(Facts.none());
    }

    static Verdict accept(Facts learnt) {
        return new Accept(learnt);
    }

    static Verdict refuse(String message, List<String> reasons) {
        return new Refuse(message, reasons);
    }
}
