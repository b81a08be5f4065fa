package org.arca.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.util.SearchPattern;

/**
 * Splits a multipart body (RFC 2046: any boundary, optional preamble, epilogue and transport padding) read from
 * a stream into parts, handing each part's bytes to a {@link Listener} as they are read, so no part and no body
 * is ever held whole: memory is one read buffer whatever the body's size. Single use, one thread.
 *
 * <p>Ours rather than a library's: Jetty 12.1's {@code MultiPart.Parser} adds a stray LF to a part whose content
 * starts like a delimiter when a read ends inside that start, and releases chunks its listener must not release
 * (a double release that failed about one 512 KiB STOW-RS upload in three); commons-fileupload's
 * {@code MultipartInput} rejects transport padding after a boundary. Delimiters are found with Jetty's
 * Boyer–Moore–Horspool {@link SearchPattern}.
 */
final class MultipartParts {
    /** The read size STOW-RS uses. */
    static final int READ_SIZE = 64 * 1024;
    private static final int MAX_PART_HEADERS = 8 * 1024;

    /** What to do with the parts as they stream by; called on the reading thread, in body order. */
    interface Listener {
        /** A part begins; {@code contentType} is its Content-Type header as sent, or null when it has none. */
        void partBegins(String contentType);

        /** Some of the current part's bytes; the buffer is reused once this returns, so copy what you keep. */
        void partBytes(ByteBuffer bytes);

        /** The current part ended at its delimiter: all its bytes were given. */
        void partEnds();

        /** The body ended or broke inside the current part (or before any part): its bytes are incomplete. */
        void partBroken();
    }

    private final SearchPattern delimiter;
    private final int readSize;
    private final byte[] buffer;
    private InputStream in;
    private int start;
    private int end;
    private boolean eof;

    MultipartParts(String boundary, int readSize) {
        this.delimiter = SearchPattern.compile(("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII));
        this.readSize = readSize;
        // Room for a whole read after the tail that may still begin a delimiter.
        this.buffer = new byte[readSize + delimiter.getLength()];
    }

    /**
     * Reads {@code in} to its end (the epilogue too, so a keep-alive connection stays usable), calling the
     * listener for each part.
     *
     * @throws IOException when the body cannot be read or is not a well-formed multipart body; the listener
     *                     has then been told {@link Listener#partBroken()}
     */
    void read(InputStream in, Listener listener) throws IOException {
        this.in = in;
        // The first delimiter may open the body without the CRLF the others start with: supply that CRLF.
        buffer[0] = '\r';
        buffer[1] = '\n';
        end = 2;
        try {
            if (!skipToDelimiter(null)) {
                throw new IOException("the body has no opening boundary");
            }
            while (partFollows()) {
                listener.partBegins(headers());
                if (!skipToDelimiter(listener)) {
                    throw new IOException("the body ended inside a part");
                }
                listener.partEnds();
            }
        } catch (IOException e) {
            listener.partBroken();
            throw e;
        }
        while (next() >= 0) {
            // The epilogue is read only so that the connection can carry the next request.
            start = end;
        }
    }

    /**
     * Passes bytes to {@code listener} (or drops them when null) up to the next delimiter and consumes it.
     * Returns false when the body ends first.
     */
    private boolean skipToDelimiter(Listener listener) throws IOException {
        while (true) {
            int found = end - start >= delimiter.getLength() ? delimiter.match(buffer, start, end - start) : -1;
            // Bytes that cannot begin a delimiter are content now; the tail waits for the next read.
            int contentEnd = found >= 0 ? found : Math.max(start, end - delimiter.getLength() + 1);
            if (contentEnd > start && listener != null) {
                listener.partBytes(ByteBuffer.wrap(buffer, start, contentEnd - start));
            }
            start = contentEnd;
            if (found >= 0) {
                start += delimiter.getLength();
                return true;
            }
            if (!fill()) {
                return false;
            }
        }
    }

    /** After a delimiter: true when a part follows (CRLF), false after the close delimiter ("--"). */
    private boolean partFollows() throws IOException {
        int b = next();
        if (b == '-') {
            if (next() != '-') {
                throw new IOException("a boundary is followed by a single '-'");
            }
            return false;
        }
        while (b == ' ' || b == '\t') {
            b = next();
        }
        if (b == '\r') {
            b = next();
        }
        if (b != '\n') {
            throw new IOException(b < 0 ? "the body ended after a boundary" : "a boundary is followed by other characters");
        }
        return true;
    }

    /** Reads a part's header lines and returns its Content-Type, or null. */
    private String headers() throws IOException {
        StringBuilder lines = new StringBuilder();
        String contentType = null;
        while (true) {
            String line = line(MAX_PART_HEADERS - lines.length());
            lines.append(line).append('\n');
            if (line.isEmpty()) {
                return contentType;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-type")) {
                contentType = line.substring(colon + 1).strip();
            }
        }
    }

    /** One header line without its CRLF (a bare LF is accepted too), as ISO-8859-1. */
    private String line(int max) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = next(); b != '\n'; b = next()) {
            if (b < 0) {
                throw new IOException("the body ended inside part headers");
            }
            if (line.length() >= max) {
                throw new IOException("part headers are longer than " + MAX_PART_HEADERS + " bytes");
            }
            line.append((char) b);
        }
        int last = line.length() - 1;
        return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
    }

    /** The next byte, or -1 at the end of the body. */
    private int next() throws IOException {
        if (start == end && !fill()) {
            return -1;
        }
        return buffer[start++] & 0xff;
    }

    /** Moves what is left to the front and reads once more; false when the body has ended. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
        int n = in.read(buffer, end, Math.min(readSize, buffer.length - end));
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }
}
