package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;
import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Children;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.MetadataValue;
import org.arca.core.Repository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;

/** Collections, folders, items, ACLs and metadata: the browsing and managing half of the REST API. */
final class FolderApi {
    private final Repository repo;

    FolderApi(Repository repo) {
        this.repo = repo;
    }

    List<Route> routes() {
        return new RouteList("folders")
                .post("/api/v1/collections", SIGNED_IN, "Create a collection; the creator gets ADMIN on it", this::createCollection)
                .get("/api/v1/collections", ANYONE, "List the collections the caller may read", this::collections)
                .get("/api/v1/shared", SIGNED_IN, "List folders shared with the caller outside their readable collections", this::shared)
                .post("/api/v1/folders", SIGNED_IN, "Create a folder under parentId", this::createFolder)
                .get("/api/v1/folders/{id}", ANYONE, "A folder with its readable ancestors", this::folder)
                .get("/api/v1/folders/{id}/children", ANYONE, "One page of a folder's children, folders first", this::children)
                .patch("/api/v1/folders/{id}", SIGNED_IN, "Rename, describe or move (parentId) a folder", this::updateFolder)
                .delete("/api/v1/folders/{id}", SIGNED_IN, "Delete a folder; recursive=true for a non-empty one", this::deleteFolder)
                .post("/api/v1/folders/{id}/copy", SIGNED_IN, "Copy a folder and its contents under parentId", this::copyFolder)
                .get("/api/v1/folders/{id}/acl", SIGNED_IN, "A folder's grants and those it inherits", this::acl)
                .put("/api/v1/folders/{id}/acl", SIGNED_IN, "Replace a folder's grants", this::setAcl)
                .get("/api/v1/folders/{id}/metadata", ANYONE, "A folder's metadata", ctx -> metadata(ctx, MetadataStore.Target.FOLDER))
                .put("/api/v1/folders/{id}/metadata", SIGNED_IN, "Replace a folder's metadata", ctx -> setMetadata(ctx, MetadataStore.Target.FOLDER))
                .get("/api/v1/items/{id}", ANYONE, "An item with its files", this::item)
                .patch("/api/v1/items/{id}", SIGNED_IN, "Rename, describe or move (folderId) an item", this::updateItem)
                .delete("/api/v1/items/{id}", SIGNED_IN, "Delete an item", this::deleteItem)
                .post("/api/v1/items/{id}/copy", SIGNED_IN, "Copy an item into folderId", this::copyItem)
                .get("/api/v1/items/{id}/metadata", ANYONE, "An item's metadata", ctx -> metadata(ctx, MetadataStore.Target.ITEM))
                .put("/api/v1/items/{id}/metadata", SIGNED_IN, "Replace an item's metadata", ctx -> setMetadata(ctx, MetadataStore.Target.ITEM))
                .routes();
    }

    private void createCollection(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Folder folder = repo.folders().createCollection(Callers.signedIn(ctx), Json.requiredText(body, "name"),
                Json.text(body, "description"));
        ctx.status(201).json(folder);
    }

    private void collections(Context ctx) {
        ctx.json(Map.of("collections", repo.folders().collections(Callers.of(ctx))));
    }

    private void shared(Context ctx) {
        ctx.json(Map.of("folders", repo.folders().sharedWithMe(Callers.signedIn(ctx))));
    }

    private void createFolder(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Folder folder = repo.folders().create(Callers.signedIn(ctx), Json.requiredText(body, "parentId"),
                Json.requiredText(body, "name"), Json.text(body, "description"));
        ctx.status(201).json(folder);
    }

    private void folder(Context ctx) {
        Caller caller = Callers.of(ctx);
        String id = ctx.pathParam("id");
        Folder folder = repo.folders().get(caller, id);
        Map<String, Object> view = new LinkedHashMap<>(Json.MAPPER.convertValue(folder, Json.OBJECT));
        List<Map<String, String>> ancestors = new ArrayList<>();
        java.util.Set<String> readable = new java.util.HashSet<>();
        for (Folder a : repo.folders().ancestors(caller, id)) {
            ancestors.add(Map.of("id", a.id(), "name", a.name()));
            readable.add(a.id());
        }
        view.put("ancestors", ancestors);
        // A user granted only this folder learns nothing of the folders above it, not even their ids.
        if (folder.parentId() != null && !readable.contains(folder.parentId())) {
            view.put("parentId", null);
        }
        if (!folder.collectionId().equals(folder.id()) && !readable.contains(folder.collectionId())) {
            view.put("collectionId", null);
        }
        ctx.json(view);
    }

    private void children(Context ctx) {
        int limit = intParam(ctx, "limit", 100);
        int offset = intParam(ctx, "offset", 0);
        Children children = repo.folders().children(Callers.of(ctx), ctx.pathParam("id"), limit, offset);
        Json.stream(ctx, children);
    }

    private void updateFolder(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String id = ctx.pathParam("id");
        ObjectNode body = Json.body(ctx);
        rejectUnknown(body, "name", "description", "parentId");
        String parentId = Json.text(body, "parentId");
        Folder result = null;
        if (parentId != null) {
            result = repo.folders().move(caller, id, parentId);
        }
        if (body.has("name") || body.has("description")) {
            result = repo.folders().update(caller, id, Json.text(body, "name"), Json.text(body, "description"));
        }
        ctx.json(result == null ? repo.folders().get(caller, id) : result);
    }

    private void deleteFolder(Context ctx) {
        repo.folders().delete(Callers.signedIn(ctx), ctx.pathParam("id"), "true".equals(ctx.queryParam("recursive")));
        ctx.status(204);
    }

    private void copyFolder(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Folder copy = repo.folders().copy(Callers.signedIn(ctx), ctx.pathParam("id"), Json.requiredText(body, "parentId"),
                Json.text(body, "name"));
        ctx.status(201).json(copy);
    }

    private void acl(Context ctx) {
        ctx.json(repo.access().acl(Callers.signedIn(ctx), ctx.pathParam("id")));
    }

    private void setAcl(Context ctx) {
        ObjectNode body = Json.body(ctx);
        JsonNode entries = body.get("entries");
        if (entries == null || !entries.isArray()) {
            throw ArcaException.invalid("missing_entries", "The body is {\"entries\": [{\"principal\": ..., \"level\": ...}]}.");
        }
        List<AclEntry> parsed = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (!entry.isObject() || !entry.path("principal").isTextual() || !entry.path("level").isTextual()) {
                throw ArcaException.invalid("invalid_entry", "Each entry is {\"principal\": \"user:<login>\", \"level\": \"READ\"}.");
            }
            parsed.add(new AclEntry(entry.get("principal").asText(), AccessLevel.parseGrantable(entry.get("level").asText())));
        }
        ctx.json(repo.access().setAcl(Callers.signedIn(ctx), ctx.pathParam("id"), parsed));
    }

    private void metadata(Context ctx, MetadataStore.Target target) {
        ctx.json(view(repo.metadata().get(Callers.of(ctx), target, ctx.pathParam("id"))));
    }

    private void setMetadata(Context ctx, MetadataStore.Target target) {
        ObjectNode body = Json.body(ctx);
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        body.properties().forEach(e -> values.put(e.getKey(), parseValue(e.getKey(), e.getValue())));
        ctx.json(view(repo.metadata().put(Callers.signedIn(ctx), target, ctx.pathParam("id"), values)));
    }

    private void item(Context ctx) {
        ctx.json(repo.items().get(Callers.of(ctx), ctx.pathParam("id")));
    }

    private void updateItem(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String id = ctx.pathParam("id");
        ObjectNode body = Json.body(ctx);
        rejectUnknown(body, "name", "description", "folderId");
        Item result = null;
        String folderId = Json.text(body, "folderId");
        if (folderId != null) {
            result = repo.items().move(caller, id, folderId);
        }
        if (body.has("name") || body.has("description")) {
            result = repo.items().update(caller, id, Json.text(body, "name"), Json.text(body, "description"));
        }
        ctx.json(result == null ? repo.items().get(caller, id) : result);
    }

    private void deleteItem(Context ctx) {
        repo.items().delete(Callers.signedIn(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void copyItem(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Item copy = repo.items().copy(Callers.signedIn(ctx), ctx.pathParam("id"), Json.requiredText(body, "folderId"),
                Json.text(body, "name"));
        ctx.status(201).json(copy);
    }

    /** A metadata value is {"type": "text|number|date", "value": ...} or a bare string or number. */
    private static MetadataValue parseValue(String key, JsonNode node) {
        if (node.isTextual()) {
            return new MetadataValue.Text(node.asText());
        }
        if (node.isNumber()) {
            return new MetadataValue.Number(node.asDouble());
        }
        if (node.isObject() && node.path("type").isTextual() && node.has("value")) {
            JsonNode value = node.get("value");
            switch (node.get("type").asText()) {
                case "text":
                    if (value.isTextual()) {
                        return new MetadataValue.Text(value.asText());
                    }
                    break;
                case "number":
                    if (value.isNumber()) {
                        return new MetadataValue.Number(value.asDouble());
                    }
                    break;
                case "date":
                    try {
                        return new MetadataValue.Date(LocalDate.parse(value.asText()));
                    } catch (DateTimeParseException e) {
                        throw ArcaException.invalid("invalid_value", "The date of '" + key + "' is not YYYY-MM-DD.");
                    }
                default:
                    break;
            }
        }
        throw ArcaException.invalid("invalid_value", "The value of '" + key
                + "' must be a string, a number, or {\"type\": \"text|number|date\", \"value\": ...}.");
    }

    private static Map<String, Object> view(Map<String, MetadataValue> values) {
        Map<String, Object> view = new LinkedHashMap<>();
        values.forEach((k, v) -> view.put(k, Map.of("type", v.type(), "value", v.jsonValue())));
        return view;
    }

    private static void rejectUnknown(ObjectNode body, String... allowed) {
        List<String> known = List.of(allowed);
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw ArcaException.invalid("unknown_field", "Unknown field '" + name + "'; allowed: " + known + ".");
            }
        });
    }

    static int intParam(Context ctx, String name, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ArcaException.invalid("invalid_" + name, "'" + name + "' must be a whole number.");
        }
    }
}
