package org.arca.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one error type of the repository. Every surface maps {@link Kind} to its own status
 * (HTTP status, SFTP status code) in one place; {@link #code()} is a stable machine-readable name
 * and the message is a sentence a user can act on. Messages never contain secrets.
 */
public final class ArcaException extends RuntimeException {

    /** What went wrong, in the terms a surface needs to answer. */
    public enum Kind {
        INVALID,
        UNAUTHORIZED,
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT,
        TOO_LARGE,
        INCOMPLETE,
        THROTTLED,
        NOT_ACCEPTABLE,
        UNSUPPORTED_MEDIA_TYPE,
        UNAVAILABLE,
        /** Understood, and refused by a rule about its content (an ingest step's): HTTP's 422. */
        REFUSED
    }

    private final Kind kind;
    private final String code;
    private final Duration retryAfter;
    private final List<String> reasons;

    public ArcaException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.retryAfter = null;
        this.reasons = List.of();
    }

    public ArcaException(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
        this.retryAfter = null;
        this.reasons = List.of();
    }

    private ArcaException(String code, String message, Duration retryAfter) {
        super(message);
        this.kind = Kind.THROTTLED;
        this.code = code;
        this.retryAfter = retryAfter;
        this.reasons = List.of();
    }

    private ArcaException(String message, List<String> reasons) {
        super(message);
        this.kind = Kind.REFUSED;
        this.code = "refused";
        this.retryAfter = null;
        this.reasons = List.copyOf(reasons);
    }

    /**
     * An upload an ingest step refused: {@code reasons} name each problem for the client (attribute tag paths, say),
     * never a value.
     */
    public static ArcaException refused(String message, List<String> reasons) {
        return new ArcaException(message, reasons);
    }

    /** For a refusal, each problem the rule found; empty otherwise. */
    public List<String> reasons() {
        return reasons;
    }

    /** The message with the reasons after it, for a surface that has one line of text to tell the client. */
    public String messageWithReasons() {
        return reasons.isEmpty() ? getMessage() : getMessage() + " " + String.join("; ", reasons);
    }

    /** A refusal to try again before {@code retryAfter}, which surfaces tell the client (HTTP's Retry-After). */
    public static ArcaException throttled(String code, String message, Duration retryAfter) {
        return new ArcaException(code, message, retryAfter);
    }

    /** How long the client should wait before trying again, when the refusal says. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public static ArcaException notFound(String what) {
        return new ArcaException(Kind.NOT_FOUND, "not_found", what + " does not exist or you may not see it.");
    }

    public static ArcaException invalid(String code, String message) {
        return new ArcaException(Kind.INVALID, code, message);
    }

    public static ArcaException conflict(String code, String message) {
        return new ArcaException(Kind.CONFLICT, code, message);
    }

    public static ArcaException forbidden(String message) {
        return new ArcaException(Kind.FORBIDDEN, "forbidden", message);
    }

    public static ArcaException unauthorized(String message) {
        return new ArcaException(Kind.UNAUTHORIZED, "unauthorized", message);
    }
}
