package org.arca.web;

import static org.arca.web.Route.Audience.ADMIN;
import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.arca.core.Repository;

/** Health, metrics, the OpenAPI document and the audit log: what operators and tools ask. */
final class SystemApi {
    private final Repository repo;
    private final PrometheusMeterRegistry metrics;
    private final MetricsAccess metricsAccess;
    private final Supplier<List<Route>> allRoutes;

    SystemApi(Repository repo, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess, Supplier<List<Route>> allRoutes) {
        this.repo = repo;
        this.metrics = metrics;
        this.metricsAccess = metricsAccess;
        this.allRoutes = allRoutes;
    }

    List<Route> routes() {
        RouteList list = new RouteList("system")
                .get("/health", ANYONE, "Whether the database and the blob store answer (200 or 503)", this::health);
        if (metricsAccess.enabled()) {
            list.get("/metrics", metricsAccess.audience(), "Prometheus metrics: requests per route, latencies, bytes, blob store size"
                    + " (an admin, or the bearer token of metrics-token, unless metrics is public)", this::metrics);
        }
        return list
                .get("/api/v1/openapi.json", ANYONE, "This API described as OpenAPI 3.1", this::openApi)
                .get("/api/v1/audit", ADMIN, "Audit entries, newest first (actor=, resource=, action=, limit=, offset=)", this::audit)
                .get("/api/v1/audit/verify", ADMIN, "Check the audit chain for changed or missing entries", this::verifyAudit)
                .routes();
    }

    private void health(Context ctx) {
        boolean db = repo.database().ping();
        boolean blobs = java.nio.file.Files.isWritable(repo.config().dataDir().resolve("blobs"));
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", db && blobs ? "up" : "down");
        body.put("database", db ? "up" : "down");
        body.put("blobStore", blobs ? "up" : "down");
        ctx.status(db && blobs ? 200 : 503).json(body);
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private void openApi(Context ctx) {
        ctx.json(OpenApi.describe(allRoutes.get()));
    }

    private void audit(Context ctx) {
        int limit = FolderApi.intParam(ctx, "limit", 100);
        int offset = FolderApi.intParam(ctx, "offset", 0);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw org.arca.core.ArcaException.invalid("invalid_page", "limit is 1 to 1000 and offset is 0 or more.");
        }
        ctx.json(repo.audit().query(Callers.of(ctx), ctx.queryParam("actor"), ctx.queryParam("resource"),
                ctx.queryParam("action"), limit, offset));
    }

    private void verifyAudit(Context ctx) {
        var result = repo.audit().verify(Callers.of(ctx));
        ctx.json(Map.of("intact", result.intact(), "entries", result.entries(), "problems", result.problems()));
    }
}
