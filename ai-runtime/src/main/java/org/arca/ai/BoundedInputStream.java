package org.arca.ai;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.arca.core.ArcaException;

/** Stops a body that runs past the upload limit, so a package upload cannot fill the disk. */
final class BoundedInputStream extends FilterInputStream {
    private final long max;
    private long read;

    BoundedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count(Math.max(n, 0));
        return n;
    }

    private void count(long n) {
        read += n;
        if (read > max) {
            throw new ArcaException(ArcaException.Kind.TOO_LARGE, "too_large", "The package is larger than allowed.");
        }
    }
}
