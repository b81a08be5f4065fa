package org.arca.dicom;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered byte source that knows its position and, for files, its size, so every declared
 * length can be checked against what is really there before anything is allocated. Errors are
 * {@link DicomFormatException}s carrying the position and the tag being read ({@link #tag}).
 */
final class DicomInput {
    /** Values are read in chunks of this size, so a huge declared length in a short input fails at EOF. */
    private static final int CHUNK = 1 << 20;

    /** The first read asks for this much: a typical header fits, and reading 64 KB costs more than parsing it. */
    private static final int FIRST_READ = 1 << 13;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    /** How much the next read asks for; doubles up to the buffer size. */
    private int readSize = FIRST_READ;
    private int pos;
    private int lim;
    private long bufStart;
    private final long size;
    /** Tag being read, for error messages. */
    int tag = -1;

    /**
     * @param size total number of bytes the stream holds from here, or -1 when unknown
     */
    DicomInput(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    long position() {
        return bufStart + pos;
    }

    /** Bytes left before the known end, or Long.MAX_VALUE when the size is unknown. */
    long remaining() {
        return size < 0 ? Long.MAX_VALUE : size - position();
    }

    DicomFormatException error(String message) {
        return new DicomFormatException(message, position(), tag);
    }

    /** Ensures {@code n} (at most the buffer size) bytes are buffered; false at end of input. */
    private boolean fill(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            int r = in.read(buf, lim, Math.min(buf.length, Math.max(n, readSize)) - lim);
            if (r < 0) {
                return false;
            }
            lim += r;
            readSize = Math.min(buf.length, readSize * 2);
        }
        return true;
    }

    boolean atEnd() throws IOException {
        return !fill(1);
    }

    /** Looks at the next {@code n} bytes without consuming them; null if fewer remain. */
    byte[] peek(int n) throws IOException {
        if (!fill(n)) {
            return null;
        }
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        return b;
    }

    private void need(int n) throws IOException {
        if (!fill(n)) {
            throw error("unexpected end of input, " + n + " more bytes needed");
        }
    }

    int u8() throws IOException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int u16(boolean bigEndian) throws IOException {
        need(2);
        int a = buf[pos] & 0xFF;
        int b = buf[pos + 1] & 0xFF;
        pos += 2;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    /** An unsigned 32-bit value as a long. */
    long u32(boolean bigEndian) throws IOException {
        need(4);
        long a = buf[pos] & 0xFF;
        long b = buf[pos + 1] & 0xFF;
        long c = buf[pos + 2] & 0xFF;
        long d = buf[pos + 3] & 0xFF;
        pos += 4;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }

    int tag(boolean bigEndian) throws IOException {
        int g = u16(bigEndian);
        int e = u16(bigEndian);
        return g << 16 | e;
    }

    /** Reads {@code n} bytes, failing before allocating more than is really there. */
    byte[] bytes(long n) throws IOException {
        if (n > remaining()) {
            throw error("value length " + n + " goes beyond the end of the input");
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw error("value length " + n + " too large to hold in memory");
        }
        int len = (int) n;
        if (len <= CHUNK) {
            byte[] out = new byte[len];
            readFully(out, 0, len);
            return out;
        }
        // Grow in chunks: a lying length in an unsized stream hits EOF before a large allocation.
        byte[] out = new byte[CHUNK];
        int done = 0;
        while (done < len) {
            int step = Math.min(CHUNK, len - done);
            if (out.length < done + step) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(len, Math.max((long) out.length * 2, done + step)));
            }
            readFully(out, done, step);
            done += step;
        }
        return out;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        int avail = Math.min(lim - pos, len);
        System.arraycopy(buf, pos, b, off, avail);
        pos += avail;
        int done = avail;
        while (done < len) {
            int r = in.read(b, off + done, len - done);
            if (r < 0) {
                throw error("unexpected end of input in a value of " + len + " bytes");
            }
            done += r;
            bufStart += r;
        }
    }

    /** Skips {@code n} bytes that must be there. */
    void skip(long n) throws IOException {
        if (n > remaining()) {
            throw error("value length " + n + " goes beyond the end of the input");
        }
        int avail = (int) Math.min(lim - pos, n);
        pos += avail;
        long left = n - avail;
        if (left == 0) {
            return;
        }
        bufStart += lim;
        pos = 0;
        lim = 0;
        while (left > 0) {
            long s = size >= 0 ? in.skip(left) : 0;
            if (s <= 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw error("unexpected end of input while skipping " + n + " bytes");
                }
                s = r;
            }
            left -= s;
            bufStart += s;
        }
    }

    /**
     * The unread rest of the input as a stream (buffered bytes first), for inflating a deflated
     * dataset. This input must not be used afterwards.
     */
    InputStream rest() {
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buf, pos, lim - pos), in);
    }
}
