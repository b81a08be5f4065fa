package org.arca.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Predicate;
import org.arca.core.ArcaException;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.image.NoDecoderException;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP answers: {@code {"error": code, "message": sentence}} with the
 * status the kind of failure calls for. Unexpected exceptions become a 500 that names the request id and
 * nothing else; their detail goes to the log, never to the client.
 */
final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** The error body every route answers with. */
    record ErrorBody(String error, String message) {
    }

    /** The body of an upload an ingest rule refused: each problem it found, so the sender can fix them all at once. */
    record RefusalBody(String error, String message, List<String> reasons) {
    }

    static int status(ArcaException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case INCOMPLETE -> 400;
            case THROTTLED -> 429;
            case NOT_ACCEPTABLE -> 406;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNAVAILABLE -> 503;
            case REFUSED -> 422;
        };
    }

    /**
     * The body for a status Jetty decided on before any route ran (a request line too long, headers too large, a
     * request that is not HTTP, one too slow). It never echoes the request: its address can carry file names.
     */
    static ErrorBody forStatus(int status) {
        return switch (status) {
            case 400 -> new ErrorBody("bad_request", "The request is not valid HTTP.");
            case 404 -> new ErrorBody("not_found", "There is no such route.");
            case 405 -> new ErrorBody("method_not_allowed", "This address does not take that method.");
            case 408 -> new ErrorBody("request_timeout", "The request arrived too slowly; the connection is closed.");
            case 413 -> new ErrorBody("too_large", "The request is too large.");
            case 414 -> new ErrorBody("uri_too_long", "The request's address is too long.");
            case 415 -> new ErrorBody("unsupported_media_type", "The request's content type is not supported here.");
            case 431 -> new ErrorBody("headers_too_large", "The request's headers are too large.");
            case 501 -> new ErrorBody("not_implemented", "The server does not support what the request asks.");
            case 503 -> new ErrorBody("unavailable", "The server cannot take the request now; try again later.");
            case 505 -> new ErrorBody("http_version_not_supported", "Use HTTP/1.1.");
            default -> status >= 400 && status < 500
                    ? new ErrorBody("bad_request", "The request was refused (HTTP " + status + ").")
                    : new ErrorBody("internal_error", "Something went wrong on the server.");
        };
    }

    static void arca(ArcaException e, Context ctx) {
        int status = status(e.kind());
        // The Basic challenge is for tools. Pages' own requests (X-Requested-With) must get the 401 back:
        // with the challenge, browsers hold the request for a password box of their own.
        if (status == 401 && !ctx.path().startsWith("/api/v1/auth/") && ctx.header("X-Requested-With") == null) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Arca\", charset=\"UTF-8\"");
        }
        e.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
        if (e.kind() == ArcaException.Kind.REFUSED && !ctx.res().isCommitted()) {
            ctx.status(status).json(new RefusalBody(e.code(), e.getMessage(), e.reasons()));
            return;
        }
        write(ctx, status, e.code(), e.getMessage());
    }

    static void unexpected(Exception e, Context ctx) {
        String requestId = RequestLog.id(ctx);
        if (firstCause(e, DicomFormatException.class::isInstance) instanceof DicomFormatException bad) {
            unreadableDicom(bad, ctx, requestId);
            return;
        }
        if (firstCause(e, NoDecoderException.class::isInstance) instanceof NoDecoderException missing) {
            // Valid data in a compression Arca cannot decode yet: what was asked for (pixels, a rendering) cannot
            // be made, while the instance itself and its frames as stored can still be retrieved.
            LOG.info("request {}: {}", requestId, missing.getMessage());
            write(ctx, 406, "no_decoder", "This instance's pixel data cannot be decoded here (" + missing.getMessage()
                    + "); retrieve the instance or its frames in their stored transfer syntax instead.");
            return;
        }
        if (firstCause(e, HttpErrors::isClientAbort) != null) {
            LOG.info("request {} ended by the client", requestId);
            return;
        }
        if (firstCause(e, HttpErrors::isClientFault) instanceof HttpException refused) {
            // Jetty refused the request while a route read it (a body below the minimum data rate): the client's
            // fault, and what is left of its body on the wire cannot frame another request.
            LOG.info("request {} refused by the server: {}", requestId, refused.getCode());
            ctx.header("Connection", "close");
            ErrorBody body = forStatus(refused.getCode());
            write(ctx, refused.getCode(), body.error(), body.message());
            return;
        }
        LOG.error("request {} failed", requestId, e);
        write(ctx, 500, "internal_error", "Something went wrong on the server (request " + requestId + ").");
    }

    /**
     * Stored data the DICOM codec refuses (truncated, lengths past the end, image attributes that do not fit the
     * pixel data, a damaged compressed frame) is the data's fault, not the server's: 422 with the codec's reason.
     * Its messages name offsets, tags, sizes and at most a coded term (a transfer syntax UID, a character set or
     * photometric name), never a person's data, so they may go to the client and the log.
     */
    private static void unreadableDicom(DicomFormatException e, Context ctx, String requestId) {
        LOG.info("request {}: unreadable DICOM: {}", requestId, e.getMessage());
        write(ctx, 422, "unreadable_dicom", "The stored DICOM cannot be read: " + e.getMessage() + ".");
    }

    static void write(Context ctx, int status, String code, String message) {
        if (ctx.res().isCommitted()) {
            return;
        }
        ctx.status(status).json(new ErrorBody(code, message));
    }

    /**
     * The exception or the first of its causes that {@code test} accepts, or null: codec and Jetty failures may
     * arrive wrapped (unchecked, or in a servlet exception).
     */
    private static Throwable firstCause(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return t;
            }
        }
        return null;
    }

    /** A refusal Jetty raised for the client's fault (4xx), e.g. a body below the minimum data rate. */
    private static boolean isClientFault(Throwable t) {
        return t instanceof HttpException failure && failure.getCode() >= 400 && failure.getCode() < 500;
    }

    private static boolean isClientAbort(Throwable t) {
        String name = t.getClass().getSimpleName();
        return name.equals("EofException") || name.equals("ClosedChannelException");
    }
}
