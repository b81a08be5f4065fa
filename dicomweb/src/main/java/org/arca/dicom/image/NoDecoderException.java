package org.arca.dicom.image;

import java.io.IOException;

/**
 * Pixel data is in a transfer syntax Arca has no Java decoder for (12-bit JPEG, HTJ2K, MPEG, HEVC), or uses a
 * feature of one its decoder lacks (JPEG-LS mapping tables); the frame can still be served in its stored syntax
 * via {@link Frames#encodedFrame(int)}.
 */
public final class NoDecoderException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoDecoderException(String transferSyntaxUid) {
        super("no Java decoder for transfer syntax " + transferSyntaxUid);
    }
}
