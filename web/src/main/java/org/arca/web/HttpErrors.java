package org.arca.web;

import io.javalin.http.Context;
import org.arca.core.ArcaException;
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
        write(ctx, status, e.code(), e.getMessage());
    }

    static void unexpected(Exception e, Context ctx) {
        String requestId = RequestLog.id(ctx);
        if (isClientAbort(e)) {
            LOG.info("request {} ended by the client", requestId);
            return;
        }
        LOG.error("request {} failed", requestId, e);
        write(ctx, 500, "internal_error", "Something went wrong on the server (request " + requestId + ").");
    }

    static void write(Context ctx, int status, String code, String message) {
        if (ctx.res().isCommitted()) {
            return;
        }
        ctx.status(status).json(new ErrorBody(code, message));
    }

    private static boolean isClientAbort(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("EofException") || name.equals("ClosedChannelException")) {
                return true;
            }
        }
        return false;
    }
}
