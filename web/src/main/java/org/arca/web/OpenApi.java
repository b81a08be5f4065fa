package org.arca.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document from the route list, so the description cannot drift from the routes. */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApi() {
    }

    static Map<String, Object> describe(List<Route> routes) {
        Map<String, Object> paths = new TreeMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("summary", route.summary());
            op.put("tags", List.of(route.tag()));
            op.put("x-audience", route.audience().name().toLowerCase(Locale.ROOT));
            List<Map<String, Object>> params = new ArrayList<>();
            Matcher m = PARAM.matcher(route.path());
            while (m.find()) {
                params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (route.audience() != Route.Audience.ANYONE) {
                op.put("security", List.of(Map.of("session", List.of()), Map.of("bearer", List.of()), Map.of("basic", List.of())));
            }
            op.put("responses", Map.of("default", Map.of("description",
                    "JSON; errors are {\"error\": code, \"message\": sentence}")));
            operations.put(route.method().name().toLowerCase(Locale.ROOT), op);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Arca REST API", "version", "1"));
        doc.put("paths", paths);
        doc.put("components", Map.of("securitySchemes", Map.of(
                "session", Map.of("type", "apiKey", "in", "cookie", "name", Callers.SESSION_COOKIE),
                "bearer", Map.of("type", "http", "scheme", "bearer"),
                "basic", Map.of("type", "http", "scheme", "basic"))));
        return doc;
    }
}
