package org.arca.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A value left where it is: {@code length} bytes at {@code offset} in the resource named by
 * {@code uri}. The reader creates these for pixel data and large OB/OW/UN values of files, so
 * they can be served from the stored file without loading it; DICOM JSON creates them (with
 * offset 0 and length -1) for {@code BulkDataURI}s it cannot resolve.
 *
 * @param bigEndian true when the bytes are in big endian order (Explicit VR Big Endian source)
 */
public record BulkData(URI uri, long offset, long length, boolean bigEndian) {

    /** True when the value lives in a local file this process can open. */
    public boolean isFile() {
        return "file".equals(uri.getScheme()) && length >= 0;
    }

    /**
     * Opens the value's bytes (as stored, not byte-swapped); the caller closes the stream.
     *
     * @throws IOException if the value is not in a local file or cannot be read
     */
    public InputStream open() throws IOException {
        if (!isFile()) {
            throw new IOException("bulk data " + uri + " is not in a local file");
        }
        FileChannel ch = FileChannel.open(Path.of(uri), StandardOpenOption.READ);
        ch.position(offset);
        InputStream in = Channels.newInputStream(ch);
        return new BoundedInputStream(in, length);
    }

    /** Reads the whole value into memory, in little endian order for the given VR. */
    public byte[] readAll(VR vr) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("bulk value of " + length + " bytes is too large to load");
        }
        try (InputStream in = open()) {
            byte[] b = in.readNBytes((int) length);
            if (b.length != length) {
                throw new IOException("bulk data " + uri + " ends before " + length + " bytes");
            }
            if (bigEndian) {
                ByteOrderSwap.swap(b, vr.unitSize());
            }
            return b;
        }
    }

    /** Limits a stream to a byte count, so a bulk reference never reads past its value. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
