package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;
import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.ai.AiRuntime;
import org.arca.ai.Job;
import org.arca.ai.JobRequest;
import org.arca.ai.ModelVersion;
import org.arca.core.ArcaException;

/**
 * The AI runtime over HTTP: the model registry (submit a package, review it) and jobs (run an approved model on
 * a series, follow it, cancel it). The checks are the runtime's and the core's; this class only translates.
 */
final class AiApi {
    private static final String VERSION = "/api/v1/models/{id}/versions/{version}";
    private final AiRuntime ai;
    private final java.util.function.BiFunction<org.arca.core.access.Caller, String, Object> otherJobs;

    /**
     * {@code otherJobs} answers {@code GET /api/v1/jobs/{id}} for job ids the AI runtime does not know (ZIP unpack
     * jobs), so one route serves every kind of background job.
     */
    AiApi(AiRuntime ai, java.util.function.BiFunction<org.arca.core.access.Caller, String, Object> otherJobs) {
        this.ai = ai;
        this.otherJobs = otherJobs;
    }

    List<Route> routes() {
        return new RouteList("ai")
                .post("/api/v1/models", SIGNED_IN, "Submit a model package (application/zip body): 201 {id, version, status}",
                        this::submit)
                .get("/api/v1/models", ANYONE, "Model versions the caller may see (approved, own, all for curators)", this::list)
                .get(VERSION, ANYONE, "One model version with its manifest and review status", this::get)
                .post(VERSION + "/approve", SIGNED_IN, "Approve a submitted version, pinning its SHA-256 (curators)",
                        ctx -> review(ctx, "approve"))
                .post(VERSION + "/reject", SIGNED_IN, "Reject a submitted version with {reason} (curators)",
                        ctx -> review(ctx, "reject"))
                .post(VERSION + "/withdraw", SIGNED_IN, "Withdraw a version so it no longer runs (curators, submitter)",
                        ctx -> review(ctx, "withdraw"))
                .post("/api/v1/jobs", SIGNED_IN, "Run an approved model on a series: {modelId, version, inputs, parameters, "
                        + "outputFolderId} → 201 {id}", this::submitJob)
                .get("/api/v1/jobs", SIGNED_IN, "The caller's jobs, newest first", this::jobs)
                .get("/api/v1/jobs/{id}", SIGNED_IN, "A job of the caller's: an AI job (status, progress, log, results, error, "
                        + "timings) or a ZIP unpack job", this::job)
                .delete("/api/v1/jobs/{id}", SIGNED_IN, "Cancel a queued or running job", this::cancel)
                .routes();
    }

    private void submit(Context ctx) {
        ModelVersion v = ai.models().submit(Callers.signedIn(ctx), ctx.bodyInputStream(),
                ctx.contentLength() >= 0 ? ctx.contentLength() : -1);
        ctx.status(201).json(view(v));
    }

    private void list(Context ctx) {
        ctx.json(ai.models().list(Callers.of(ctx)).stream().map(AiApi::view).toList());
    }

    private void get(Context ctx) {
        ctx.json(view(ai.models().get(Callers.of(ctx), ctx.pathParam("id"), ctx.pathParam("version"))));
    }

    private void review(Context ctx, String action) {
        var caller = Callers.signedIn(ctx);
        String id = ctx.pathParam("id");
        String version = ctx.pathParam("version");
        ModelVersion v = switch (action) {
            case "approve" -> ai.models().approve(caller, id, version);
            case "reject" -> ai.models().reject(caller, id, version, Json.text(Json.body(ctx), "reason"));
            default -> ai.models().withdraw(caller, id, version);
        };
        ctx.json(view(v));
    }

    private void submitJob(Context ctx) {
        ObjectNode body = Json.body(ctx);
        JsonNode inputs = body.path("inputs");
        JsonNode parameters = body.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isObject()) {
            throw ArcaException.invalid("invalid_parameters", "'parameters' must be an object.");
        }
        Map<String, Object> values = parameters.isObject() ? Json.MAPPER.convertValue(parameters, Json.OBJECT) : Map.of();
        Job job = ai.jobs().submit(Callers.signedIn(ctx), new JobRequest(Json.requiredText(body, "modelId"),
                Json.requiredText(body, "version"), inputs.path("studyInstanceUid").asText(null),
                inputs.path("seriesInstanceUid").asText(null), values, Json.text(body, "outputFolderId")));
        ctx.status(201).json(view(job));
    }

    private void jobs(Context ctx) {
        ctx.json(ai.jobs().list(Callers.signedIn(ctx)).stream().map(AiApi::view).toList());
    }

    private void job(Context ctx) {
        var caller = Callers.signedIn(ctx);
        try {
            ctx.json(view(ai.jobs().get(caller, ctx.pathParam("id"))));
        } catch (ArcaException e) {
            if (e.kind() != ArcaException.Kind.NOT_FOUND) {
                throw e;
            }
            ctx.json(otherJobs.apply(caller, ctx.pathParam("id")));
        }
    }

    private void cancel(Context ctx) {
        ctx.json(view(ai.jobs().cancel(Callers.signedIn(ctx), ctx.pathParam("id"))));
    }

    private static Map<String, Object> view(ModelVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.name());
        m.put("version", v.version());
        m.put("status", v.status().name());
        m.put("sha256", v.sha256());
        m.put("approvedSha256", v.approvedSha256());
        m.put("size", v.size());
        m.put("description", v.manifest().description());
        m.put("submittedBy", v.submittedBy());
        m.put("submittedAt", v.submittedAt());
        m.put("reviewedAt", v.reviewedAt());
        m.put("reason", v.reason());
        m.put("manifest", v.manifest());
        return m;
    }

    private static Map<String, Object> view(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("modelId", j.modelName());
        m.put("version", j.modelVersion());
        m.put("modelSha256", j.modelSha256());
        m.put("inputs", Map.of("studyInstanceUid", j.studyUid(), "seriesInstanceUid", j.seriesUid()));
        m.put("parameters", j.parameters());
        m.put("outputFolderId", j.outputFolderId());
        m.put("status", j.status().wireName());
        m.put("progress", j.progress());
        m.put("log", j.log());
        m.put("error", j.error());
        m.put("results", j.results());
        m.put("timings", j.timings());
        m.put("createdAt", j.createdAt());
        m.put("startedAt", j.startedAt());
        m.put("finishedAt", j.finishedAt());
        return m;
    }
}
