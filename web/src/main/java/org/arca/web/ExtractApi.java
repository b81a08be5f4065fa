package org.arca.web;

import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import org.arca.core.Repository;
import org.arca.preview.UnpackJobs;
import org.arca.preview.ZipUnpack;

/** Unpacking a ZIP item into a folder as a background job, and the job's progress. */
final class ExtractApi {
    private final UnpackJobs jobs;

    ExtractApi(Repository repo, ZipUnpack.Limits limits) {
        this.jobs = new UnpackJobs(repo, limits);
        repo.closeWith(jobs);
    }

    List<Route> routes() {
        return new RouteList("jobs")
                .post("/api/v1/items/{id}/extract", SIGNED_IN, "Unpack a ZIP item into targetFolderId as a background job", this::extract)
                .routes();
    }

    private void extract(Context ctx) {
        ObjectNode body = Json.body(ctx);
        UnpackJobs.Job job = jobs.start(Callers.signedIn(ctx), ctx.pathParam("id"), Json.requiredText(body, "targetFolderId"));
        ctx.status(202).header("Location", "/api/v1/jobs/" + job.id()).json(job);
    }

    /** An unpack job of the caller's; {@code GET /api/v1/jobs/{id}} (in {@link AiApi}) asks here for ids it does not know. */
    Object job(org.arca.core.access.Caller caller, String id) {
        return jobs.get(caller, id);
    }
}
