package org.arca.dicom;

import java.io.IOException;

/**
 * The one error the codec raises for input that is not well-formed DICOM: truncated data, a length
 * beyond the end of its container, an unknown VR, nesting beyond the reader's limit, an invalid
 * Specific Character Set term, a meta group that contradicts itself, and so on.
 *
 * <p>It carries the byte offset in the (decoded) input where the problem was found and the tag of
 * the element being read, or -1 for either when not known. I/O failures of the underlying stream
 * are not wrapped: they stay plain {@link IOException}s.
 */
public final class DicomFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final int tag;

    public DicomFormatException(String message, long offset, int tag) {
        super(message + " (offset " + offset + (tag == -1 ? "" : ", tag " + Tag.toString(tag)) + ")");
        this.offset = offset;
        this.tag = tag;
    }

    /** Byte offset in the input where the problem was detected, or -1. */
    public long offset() {
        return offset;
    }

    /** Tag of the element being read when the problem was detected, or -1 if none. */
    public int tag() {
        return tag;
    }
}
