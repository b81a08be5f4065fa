package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.arca.core.search.SearchQuery;
import org.arca.core.search.SearchResult;
import org.arca.preview.Extraction;
import org.arca.preview.ExtractionStates;

/**
 * Search over everything the caller may read, and where text extraction of an item's file stands. The
 * access filter is part of the index query (the core's), so totals, facets and pages cover readable hits only.
 */
final class SearchApi {
    private final Repository repo;
    private final ExtractionStates extraction;

    SearchApi(Repository repo) {
        this.repo = repo;
        this.extraction = new ExtractionStates(repo.database());
    }

    List<Route> routes() {
        return new RouteList("search")
                .get("/api/v1/search", ANYONE, "Search folders and items the caller may read: q, type, modality, collection, "
                        + "from, to, meta.<key>, limit, offset, group=study|series (one hit per DICOM study or series); "
                        + "hits with path and snippet, facet counts", this::search)
                .get("/api/v1/items/{id}/extraction", ANYONE, "Where text extraction of an item's file stands", this::extraction)
                .routes();
    }

    /** The levels DICOM files are grouped at for search (see DicomSearchFields). */
    private static final java.util.Set<String> GROUPS = java.util.Set.of("study", "series");

    private void search(Context ctx) {
        Map<String, String> metadata = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((key, values) -> {
            if (key.startsWith("meta.") && key.length() > 5 && !values.isEmpty()) {
                metadata.put(key.substring(5), values.get(0));
            }
        });
        SearchQuery query = new SearchQuery(ctx.queryParam("q"), many(ctx, "type"), many(ctx, "modality"), many(ctx, "collection"),
                date(ctx, "from"), date(ctx, "to"), metadata, FolderApi.intParam(ctx, "limit", 20),
                FolderApi.intParam(ctx, "offset", 0));
        String group = ctx.queryParam("group");
        if (group != null && !group.isBlank()) {
            if (!GROUPS.contains(group)) {
                throw ArcaException.invalid("invalid_group", "group is study or series: one hit per DICOM study or series.");
            }
            query = query.groupedBy(group);
        }
        SearchResult result = repo.search(Callers.of(ctx), query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", result.total());
        body.put("hits", result.hits());
        body.put("facets", result.facets());
        if (repo.searchIndex().rebuilding()) {
            // The index is being rebuilt from the database: say so, rather than let missing hits look final.
            ctx.header("Warning", "199 - \"search index is being rebuilt; results may be incomplete\"");
            body.put("incomplete", true);
        }
        ctx.json(body);
    }

    private void extraction(Context ctx) {
        Item item = repo.items().get(Callers.of(ctx), ctx.pathParam("id"));
        List<Map<String, Object>> files = new ArrayList<>();
        for (var file : item.files()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("fileId", file.id());
            entry.put("name", file.name());
            Extraction state = extraction.state(file.sha256()).orElse(null);
            entry.put("state", state == null ? "none" : state.state());
            if (state != null) {
                entry.put("reason", state.reason());
                entry.put("detectedType", state.mediaType());
                entry.put("characters", state.characters());
            }
            files.add(entry);
        }
        ctx.json(Map.of("files", files));
    }

    /** A parameter given several times or comma-separated. */
    private static List<String> many(Context ctx, String name) {
        List<String> values = new ArrayList<>();
        for (String value : ctx.queryParams(name)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        }
        return values;
    }

    private static LocalDate date(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.length() == 4 ? text + (name.equals("from") ? "-01-01" : "-12-31") : text);
        } catch (DateTimeParseException e) {
            throw ArcaException.invalid("invalid_date", name + " is a date, YYYY-MM-DD, or a year.");
        }
    }
}
