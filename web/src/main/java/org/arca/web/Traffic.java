package org.arca.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes that uploads bring in and downloads send out, for {@code /metrics}. */
final class Traffic {
    private final Counter received;
    private final Counter sent;

    Traffic(MeterRegistry registry) {
        this.received = Counter.builder("arca.http.bytes.received").description("Bytes of uploaded content").register(registry);
        this.sent = Counter.builder("arca.http.bytes.sent").description("Bytes of downloaded content").register(registry);
    }

    InputStream countIn(InputStream stream) {
        return new FilterInputStream(stream) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    received.increment(n);
                }
                return n;
            }
        };
    }

    void countOut(long bytes) {
        sent.increment(bytes);
    }
}
