package org.arca.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Refuses (408) a request body its client sends slower than a minimum rate, counting only the time the server
 * spent waiting for it. Jetty's own check ({@code HttpConfiguration#setMinRequestDataRate}) divides the bytes by
 * the time since the body's first byte, which includes the time the server itself spent between reads (a STOW-RS
 * part being stored and synced while the next part waits in the socket buffer): under load it refused clients
 * sending at full speed. Here a body may make the server wait {@link #GRACE} for free, plus one second for every
 * {@code minBytesPerSecond} bytes that have come; a client that falls behind that loses the request.
 */
final class BodyRateGuard implements Filter {
    /** Waiting absorbed before the rate applies: a stalled Wi-Fi link or a client's slow start. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final long minBytesPerSecond;

    BodyRateGuard(long minBytesPerSecond) {
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (minBytesPerSecond <= 0 || !(request instanceof HttpServletRequest http)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(http) {
            private ServletInputStream guarded;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (guarded == null) {
                    guarded = new Guarded(super.getInputStream(), minBytesPerSecond, GRACE.toNanos(), System::nanoTime);
                }
                return guarded;
            }
        }, response);
    }

    /** The request body, timing each blocking read on {@code nanoTime} (a monotonic clock; tests move their own). */
    static final class Guarded extends ServletInputStream {
        private final ServletInputStream in;
        private final long minBytesPerSecond;
        private final long graceNanos;
        private final LongSupplier nanoTime;
        private long bytes;
        private long waitedNanos;

        Guarded(ServletInputStream in, long minBytesPerSecond, long graceNanos, LongSupplier nanoTime) {
            this.in = in;
            this.minBytesPerSecond = minBytesPerSecond;
            this.graceNanos = graceNanos;
            this.nanoTime = nanoTime;
        }

        @Override
        public int read() throws IOException {
            long start = nanoTime.getAsLong();
            int b = in.read();
            arrived(b < 0 ? 0 : 1, nanoTime.getAsLong() - start);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long start = nanoTime.getAsLong();
            int n = in.read(buffer, offset, length);
            arrived(Math.max(n, 0), nanoTime.getAsLong() - start);
            return n;
        }

        private void arrived(int n, long nanos) {
            bytes += n;
            waitedNanos += nanos;
            // Allowed waiting: the grace, plus bytes / rate seconds (in nanoseconds, without overflow for any body).
            double allowed = graceNanos + bytes * 1e9 / minBytesPerSecond;
            if (waitedNanos > allowed) {
                throw new BadMessageException(408, "The request body arrived slower than " + minBytesPerSecond + " bytes/s");
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
