package org.arca.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import org.arca.core.ArcaException;

/** The one JSON mapper of the HTTP surface: ISO-8601 UTC times, no nulls, unknown fields refused. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

    /** For turning a record into a map to add fields to. */
    public static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>> OBJECT =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private Json() {
    }

    /**
     * Writes a large answer straight to the socket, skipping the intermediate string {@code ctx.json} builds:
     * a listing of 10,000 items is megabytes.
     */
    public static void stream(Context ctx, Object value) {
        ctx.contentType("application/json");
        try {
            java.io.OutputStream out = new java.io.BufferedOutputStream(ctx.res().getOutputStream(), 1 << 20);
            MAPPER.writeValue(out, value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * {@link #body} for a route no HTML form may reach, sign-in above all: the body must be declared JSON (415
     * otherwise). A form or a beacon of another site can send only form encodings or text/plain without the
     * browser asking first. Other routes stay lenient so {@code curl -d} keeps working; pages of other sites are
     * kept from them by {@link OriginPolicy}.
     */
    public static ObjectNode declaredBody(Context ctx) {
        if (!declaresJson(ctx.contentType())) {
            throw new ArcaException(ArcaException.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Send the request body as application/json.");
        }
        return body(ctx);
    }

    /** Reads the request body as an object; malformed or non-object bodies are a 400 that names the problem. */
    public static ObjectNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw ArcaException.invalid("malformed_json", "The request body must be a JSON object.");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw ArcaException.invalid("malformed_json", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static boolean declaresJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** A text field of a body, or null when absent; a value of another type is a 400. */
    public static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ArcaException.invalid("invalid_" + field, "'" + field + "' must be a string.");
        }
        return node.asText();
    }

    public static String requiredText(ObjectNode body, String field) {
        String value = text(body, field);
        if (value == null) {
            throw ArcaException.invalid("missing_" + field, "'" + field + "' is required.");
        }
        return value;
    }

    public static <T> T convert(JsonNode node, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ArcaException.invalid("malformed_json", "The " + what + " is not valid: " + e.getMessage());
        }
    }
}
