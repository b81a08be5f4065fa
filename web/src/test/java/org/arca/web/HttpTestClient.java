package org.arca.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for tests: JSON in, status and JSON out, with the credentials a user would send. */
public final class HttpTestClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What came back. */
    public record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String error() {
            return json().path("error").asText();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpClient client = CLIENT;

    public HttpTestClient(String base) {
        this.base = base;
    }

    public HttpTestClient basic(String login, String password) {
        headers.put("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public HttpTestClient bearer(String token) {
        headers.put("Authorization", "Bearer " + token);
        return this;
    }

    /** Sends from this local address (any of 127.0.0.0/8 on loopback), as a client on another machine would. */
    public HttpTestClient from(String localAddress) {
        try {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .localAddress(java.net.InetAddress.getByName(localAddress)).build();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public HttpTestClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response put(String path, String json) {
        return send("PUT", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response patch(String path, String json) {
        return send("PATCH", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response putBytes(String path, byte[] bytes, String contentType) {
        return send("PUT", path, bytes, contentType);
    }

    /** A PUT of {@code length} bytes streamed from {@code body}, never held in memory whole. */
    public Response putStream(String path, long length, java.util.function.Supplier<java.io.InputStream> body, String contentType) {
        return sendBody("PUT", path, HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length),
                contentType);
    }

    public Response send(String method, String path, byte[] body, String contentType) {
        return sendBody(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body),
                contentType);
    }

    private Response sendBody(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, body);
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string literal of the text, for building request bodies. */
    public static String q(String text) {
        try {
            return Json.MAPPER.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
