package org.arca.web;

import io.javalin.http.Context;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per request with its id, the route template (never the concrete path, which can carry
 * file names, that is PHI), the status and the time taken. The id is echoed in {@code X-Request-Id}.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("arca.http");
    private static final String ID = "arca.requestId";
    private static final String START = "arca.start";

    private RequestLog() {
    }

    static void begin(Context ctx) {
        String id = UUID.randomUUID().toString().substring(0, 13);
        ctx.attribute(ID, id);
        ctx.attribute(START, System.nanoTime());
        ctx.header("X-Request-Id", id);
        MDC.put("requestId", id);
    }

    static void end(Context ctx, String route) {
        Long start = ctx.attribute(START);
        double millis = start == null ? 0 : (System.nanoTime() - start) / 1e6;
        LOG.info("{} {} {} {} {}ms user={}", id(ctx), ctx.method(), route, ctx.status().getCode(),
                String.format("%.1f", millis), Callers.of(ctx).login());
        MDC.remove("requestId");
    }

    static String id(Context ctx) {
        String id = ctx.attribute(ID);
        return id == null ? "-" : id;
    }

    static long startNanos(Context ctx) {
        Long start = ctx.attribute(START);
        return start == null ? System.nanoTime() : start;
    }
}
