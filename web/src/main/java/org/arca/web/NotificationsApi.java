package org.arca.web;

import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Repository;

/** The caller's notifications (a model reviewed, a model awaiting review), read and marked read in the portal. */
final class NotificationsApi {
    private final Repository repo;

    NotificationsApi(Repository repo) {
        this.repo = repo;
    }

    List<Route> routes() {
        return new RouteList("notifications")
                .get("/api/v1/users/me/notifications", SIGNED_IN,
                        "The caller's newest notifications (unread=true for unread only; limit) and the unread count", this::list)
                .post("/api/v1/users/me/notifications/read", SIGNED_IN,
                        "Mark the caller's notifications read: those in ids, or all without ids", this::markRead)
                .routes();
    }

    private void list(Context ctx) {
        boolean unreadOnly = "true".equalsIgnoreCase(ctx.queryParam("unread"));
        ctx.json(repo.notifications().inbox(Callers.signedIn(ctx), unreadOnly, FolderApi.intParam(ctx, "limit", 50)));
    }

    private void markRead(Context ctx) {
        ObjectNode body = Json.body(ctx);
        List<String> ids = new ArrayList<>();
        JsonNode given = body.get("ids");
        if (given != null && !given.isNull()) {
            if (!given.isArray() || given.size() > 500) {
                throw ArcaException.invalid("invalid_ids", "'ids' is a list of up to 500 notification ids.");
            }
            given.forEach(id -> ids.add(id.asText()));
        }
        ctx.json(Map.of("marked", repo.notifications().markRead(Callers.signedIn(ctx), ids)));
    }
}
