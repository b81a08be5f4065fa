package org.arca.dicom.image.jpeg;

import java.io.IOException;

/**
 * A JPEG stream this decoder cannot read: damaged (truncated, a marker or table out of place, an invalid Huffman
 * code) or using a process it does not implement (progressive, lossless, arithmetic coding, hierarchical).
 * The message names the byte offset in the stream where the problem was found.
 */
public final class JpegFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public JpegFormatException(String message, int offset) {
        super(message + " (JPEG offset " + offset + ")");
    }
}
