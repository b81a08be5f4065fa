package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/**
 * The body-rate rule on a clock the test moves: a client that sends slowly is refused, a server that reads slowly
 * is not.
 */
class BodyRateGuardTest {
    private final AtomicLong nanoTime = new AtomicLong();

    @Test
    void aServerBusyBetweenReadsDoesNotCountAgainstAClientSendingAtFullSpeed() throws Exception {
        byte[] body = new byte[8 * 64 * 1024];
        try (PipedInputStream pipe = new PipedInputStream(body.length)) {
            PipedOutputStream client = new PipedOutputStream(pipe);
            client.write(body);
            client.close();
            // 1 MB/s asked; the server takes 200 ms per 64 KiB (320 KB/s since the first byte): the client is not late.
            var guarded = new BodyRateGuard.Guarded(servletStream(pipe), 1_000_000, TimeUnit.MILLISECONDS.toNanos(100),
                    nanoTime::get);
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = guarded.readNBytes(chunk, 0, chunk.length)) > 0; ) {
                total += n;
                nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
            }
            assertThat(total).isEqualTo(body.length);
        }
    }

    @Test
    void aClientTricklingItsBodyIsRefusedWith408() {
        // Each byte keeps the server waiting 20 ms: 50 bytes/s, of 500 bytes.
        InputStream trickle = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent == 500) {
                    return -1;
                }
                nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
                sent++;
                return 'x';
            }
        };
        var guarded = new BodyRateGuard.Guarded(servletStream(trickle), 1000, TimeUnit.MILLISECONDS.toNanos(200), nanoTime::get);
        assertThatThrownBy(() -> {
            while (guarded.read() >= 0) {
                // 50 bytes/s against 1000 asked: refused after the grace is spent
            }
        }).isInstanceOfSatisfying(BadMessageException.class, e -> assertThat(e.getCode()).isEqualTo(408));
    }

    private static ServletInputStream servletStream(InputStream in) {
        return new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
