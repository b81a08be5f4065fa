package org.arca.web;

import java.time.Duration;

/**
 * How long a connection may take to say what it wants, so slow clients cannot hold connections open for ever
 * (slowloris: headers or a body trickled a byte at a time).
 *
 * <p>{@code headerTimeout}: the request line and headers (at most 8 KiB) of every real client arrive in one or two
 * TCP segments; 10 s leaves room for retransmits on a lossy mobile link, and that is still 0.8 KiB/s for the
 * largest header. {@code minBodyBytesPerSecond}: counted over the time the server waited for the body, with a grace
 * ({@link BodyRateGuard}), so a stall of a Wi-Fi link is absorbed; 1 KiB/s is a tenth of a 2G (EDGE) link, the slowest a site
 * might upload from, while an attacker must send 3.6 MB an hour to hold one connection. {@code idleTimeout}:
 * nothing at all arrives or leaves for this long (Jetty's own default, 30 s).
 */
public record HttpLimits(Duration headerTimeout, long minBodyBytesPerSecond, Duration idleTimeout) {

    public static final long DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

    public HttpLimits {
        if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP header and idle timeouts must be positive");
        }
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException("the minimum body rate must be 0 (none) or more");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS), DEFAULT_MIN_BODY_BYTES_PER_SECOND,
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS));
    }
}
