package org.arca.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a {@code multipart/related} answer (RFC 2387) part by part as it goes out, so no part is held whole: each
 * part's delimiter and headers, its bytes, and the close delimiter at the end. The boundary is a random UUID, which
 * the DICOM and pixel bytes of a part do not hold but by a chance too small to matter.
 */
final class MultipartRelatedWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    /** A part's bytes, written straight to the answer. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final OutputStream out;
    private final String rootType;
    private final String boundary = UUID.randomUUID().toString();

    /** An answer to {@code out} whose parts are of {@code rootType} ("application/dicom" and the like). */
    MultipartRelatedWriter(OutputStream out, String rootType) {
        this.out = out;
        this.rootType = rootType;
    }

    /** The answer's Content-Type: the root type, and the boundary that delimits the parts. */
    String contentType() {
        return "multipart/related; type=\"" + rootType + "\"; boundary=" + boundary;
    }

    /** A part of {@code contentType} and {@code length} bytes. */
    void part(String contentType, long length, Body body) throws IOException {
        write(contentType, "\r\nContent-Length: " + length, body);
    }

    /** A part whose length is known only once written: the boundary delimits it. */
    void part(String contentType, Body body) throws IOException {
        write(contentType, "", body);
    }

    /** Closes the answer: no part follows. */
    void finish() throws IOException {
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void write(String contentType, String lengthHeader, Body body) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Type: " + contentType + lengthHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeTo(out);
        out.write(CRLF);
    }
}
