package org.arca.web;

import java.nio.file.Path;

/**
 * How the HTTP surface listens and what it accepts. {@code port} 0 picks a free port (tests).
 * {@code secureCookies} should be on whenever Arca sits behind TLS.
 */
public record WebConfig(String host, int port, long maxJsonBytes, boolean secureCookies, Path tusDir) {

    public static WebConfig defaults(Path dataDir, int port) {
        return new WebConfig("0.0.0.0", port, 1 << 20, false, dataDir.resolve("uploads"));
    }

    public WebConfig withHost(String newHost) {
        return new WebConfig(newHost, port, maxJsonBytes, secureCookies, tusDir);
    }
}
