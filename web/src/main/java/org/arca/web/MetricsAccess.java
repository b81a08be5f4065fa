package org.arca.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.arca.core.ArcaException;

/**
 * Who may read {@code /metrics}. The Prometheus text names every route, its traffic and the store's size, which
 * tells an outsider what the repository holds and how it is used, so by default only an administrator, or a
 * scraper presenting the configured bearer token, may read it. {@code public} opens it (a scraper on a trusted
 * network without credentials); {@code off} removes the route.
 */
public record MetricsAccess(Mode mode, String token) {

    /** The shortest token accepted: a scraper's token is a password no one types, so it can be long. */
    public static final int MIN_TOKEN_LENGTH = 24;
    /** The mode when nothing is configured. */
    public static final Mode DEFAULT_MODE = Mode.ADMIN;

    /** The three settings of {@code metrics}. */
    public enum Mode {
        /** Administrators, and the bearer token if one is set. */
        ADMIN,
        /** Anyone who reaches the port. */
        PUBLIC,
        /** No {@code /metrics} route at all. */
        OFF;

        /** The setting as written in the configuration file. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MetricsAccess {
        token = token == null ? "" : token;
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            // The message names the setting, never the value: it is a secret.
            throw new IllegalArgumentException("metrics-token must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
    }

    public static MetricsAccess defaults() {
        return new MetricsAccess(DEFAULT_MODE, "");
    }

    /** From the configuration's words: {@code admin}, {@code public} or {@code off}, and a token or empty. */
    public static MetricsAccess parse(String mode, String token) {
        for (Mode m : Mode.values()) {
            if (m.configName().equals(mode.strip().toLowerCase(Locale.ROOT))) {
                return new MetricsAccess(m, token == null ? "" : token.strip());
            }
        }
        throw new IllegalArgumentException("metrics must be admin, public or off, not '" + mode + "'");
    }

    boolean enabled() {
        return mode != Mode.OFF;
    }

    Route.Audience audience() {
        return mode == Mode.PUBLIC ? Route.Audience.ANYONE : Route.Audience.ADMIN;
    }

    /** Runs before {@code /metrics}: lets the request through or throws the 401, 403 or (when off) 404 it gets. */
    void authorize(Context ctx, Callers callers) {
        if (mode == Mode.OFF) {
            throw ArcaException.notFound("The metrics route");
        }
        if (mode == Mode.PUBLIC) {
            return;
        }
        if (presentsToken(ctx.header("Authorization"))) {
            return;
        }
        callers.resolve(ctx);
        if (!Callers.signedIn(ctx).isAdmin()) {
            throw ArcaException.forbidden("Metrics are for administrators and the configured scraper.");
        }
    }

    private boolean presentsToken(String authorization) {
        if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests of equal length compared in constant time: neither the token's bytes nor its length leak by timing.
        return MessageDigest.isEqual(sha256(authorization.substring(7).strip()), sha256(token));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MetricsAccess[" + mode.configName() + (token.isEmpty() ? "" : ", token set") + "]";
    }
}
