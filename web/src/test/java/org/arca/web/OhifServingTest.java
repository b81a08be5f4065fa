package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arca.core.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How /ohif/ serves a viewer folder, over HTTP, with a small stand-in for OHIF's dist/ written the way its build
 * writes the public path. The real viewer in a browser is {@code ohif.OhifViewerTest}.
 */
class OhifServingTest {

    @TempDir
    static Path viewer;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withViewerDir(viewer));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void install() throws IOException {
        Files.writeString(viewer.resolve("index.html"), "<!doctype html><html><head><script>window.PUBLIC_URL=\"/\"</script>"
                + "<link rel=\"manifest\" href=\"/manifest.json\"><script src=\"/app-config.js\"></script>"
                + "<script defer src=\"/app.bundle.abc.js\"></script><link href=\"/app.bundle.css\" rel=\"stylesheet\">"
                + "<a href=\"//cdn.example.org/x\">x</a><a href=\"https://ohif.org/\">o</a></head><body></body></html>");
        Files.writeString(viewer.resolve("app.bundle.abc.js"), "// webpack/runtime/public_path\n(() => {\n__webpack_require__.p = \"/\";\n})();\n");
        Files.writeString(viewer.resolve("plain.bundle.js"), "console.log('/not a public path');\n");
        Files.writeString(viewer.resolve("app.bundle.css"), "@font-face{src:url(/a.woff2) format(\"woff2\")}.x{background:url(\"/b.png\")}"
                + ".y{background:url(//cdn.example.org/c.png)}");
        Files.writeString(viewer.resolve("manifest.json"), "{\"icons\": [{\"src\": \"/assets/icon.png\"}]}");
        Files.write(viewer.resolve("codec.wasm"), new byte[]{0, 'a', 's', 'm'});
        Files.writeString(viewer.resolve("app-config.js"), "window.config = {dataSources: ['the demo server']};");
    }

    @Test
    void withoutAViewerTheAdminIsToldHowToInstallOne() throws IOException {
        Files.deleteIfExists(viewer.resolve("index.html"));
        HttpTestClient.Response r = server.anonymous().get("/ohif/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.text()).contains("arca.jar viewer install").doesNotContain(viewer.toString());
        install();
        assertThat(server.anonymous().get("/ohif/").status()).isEqualTo(200);
    }

    @Test
    void thePublicPathIsRewrittenToOhif() throws IOException {
        install();
        String index = server.anonymous().get("/ohif/").text();
        assertThat(index).contains("window.PUBLIC_URL=\"/ohif/\"", "src=\"/ohif/app-config.js\"", "src=\"/ohif/app.bundle.abc.js\"",
                "href=\"/ohif/app.bundle.css\"", "href=\"/ohif/manifest.json\"", "href=\"//cdn.example.org/x\"",
                "href=\"https://ohif.org/\"");
        assertThat(server.anonymous().get("/ohif/app.bundle.abc.js").text()).contains("__webpack_require__.p = \"/ohif/\";");
        assertThat(server.anonymous().get("/ohif/plain.bundle.js").text()).isEqualTo("console.log('/not a public path');\n");
        assertThat(server.anonymous().get("/ohif/app.bundle.css").text()).contains("url(/ohif/a.woff2)", "url(\"/ohif/b.png\")",
                "url(//cdn.example.org/c.png)");
        assertThat(server.anonymous().get("/ohif/manifest.json").text()).contains("\"src\": \"/ohif/assets/icon.png\"");
        HttpTestClient.Response wasm = server.anonymous().get("/ohif/codec.wasm");
        assertThat(wasm.header("Content-Type")).isEqualTo("application/wasm");
        assertThat(wasm.body()).containsExactly(0, 'a', 's', 'm');
    }

    @Test
    void theConfigurationIsArcasOwnAndPointsAtItsDicomWeb() throws IOException {
        install();
        String config = server.anonymous().get("/ohif/app-config.js").text();
        assertThat(config).doesNotContain("the demo server")
                .contains("'@ohif/extension-default.dataSourcesModule.dicomweb'", "'/dicom-web'", "'/dicom-web/folders/'",
                        "routerBasename", "investigationalUseDialog: { option: 'never' }", "thumbnailRendering: 'wadors'",
                        "enableStudyLazyLoad: true", "omitQuotationForMultipartRequest: true");
    }

    @Test
    void theViewersOwnRoutesFallBackToIndexButMissingFilesDoNot() throws IOException {
        install();
        HttpTestClient.Response route = server.anonymous().get("/ohif/viewer?StudyInstanceUIDs=1.2.3");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.text()).contains("window.PUBLIC_URL=\"/ohif/\"");
        assertThat(server.anonymous().get("/ohif/folders/abc/viewer").text()).contains("window.PUBLIC_URL=\"/ohif/\"");
        assertThat(server.anonymous().get("/ohif/missing.bundle.js").status()).isEqualTo(404);
        for (String escape : new String[]{"/ohif/%2e%2e/%2e%2e/etc/passwd", "/ohif/..%2f..%2f..%2fetc%2fpasswd"}) {
            HttpTestClient.Response r = server.anonymous().get(escape);
            assertThat(r.status()).as(escape).isIn(200, 400, 404);
            assertThat(r.text()).as(escape).doesNotContain("root:");
        }
    }

    @Test
    void theViewerRunsUnderItsOwnPolicyThatAllowsOnlyItsOwnInlineScripts() throws IOException {
        install();
        HttpTestClient.Response index = server.anonymous().get("/ohif/viewer");
        String policy = index.header("Content-Security-Policy");
        String inline = "window.PUBLIC_URL=\"/ohif/\"";
        String hash = "'sha256-" + java.util.Base64.getEncoder().encodeToString(sha256(inline)) + "'";
        assertThat(policy).contains("; script-src 'self' " + hash + " 'unsafe-eval' 'wasm-unsafe-eval';", "worker-src 'self' blob:",
                "frame-ancestors 'self'", "object-src 'none'").doesNotContain("sandbox");
        assertThat(index.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
        HttpTestClient.Response bundle = server.anonymous().get("/ohif/app.bundle.abc.js");
        assertThat(bundle.header("Content-Security-Policy")).startsWith("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval';");
        assertThat(bundle.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void thePortalPageAllowsOnlyItsOwnScriptsAndIsNeverFramed() {
        HttpTestClient.Response page = server.anonymous().get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self';", "object-src 'none'", "base-uri 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.text()).doesNotContain("<script>", "style=");
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unchangedFilesAreRevalidatedByTheirETag() throws IOException {
        install();
        HttpTestClient.Response first = server.anonymous().get("/ohif/app.bundle.abc.js");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(server.anonymous().header("If-None-Match", etag).get("/ohif/app.bundle.abc.js").status()).isEqualTo(304);
    }

    @Test
    void contentHashedFilesAreKeptAYearAndOthersRevalidated() throws IOException {
        install();
        Files.writeString(viewer.resolve("app.bundle.0f6159c501addfe9.js"), "__webpack_require__.p = \"/\";");
        Files.write(viewer.resolve("a34f9d1faa5f3315.woff2"), new byte[]{'w', 'O', 'F', '2'});
        assertThat(server.anonymous().get("/ohif/app.bundle.0f6159c501addfe9.js").header("Cache-Control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(server.anonymous().get("/ohif/a34f9d1faa5f3315.woff2").header("Cache-Control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(server.anonymous().get("/ohif/app.bundle.abc.js").header("Cache-Control")).isEqualTo("no-cache");
        assertThat(server.anonymous().get("/ohif/app.bundle.css").header("Cache-Control")).isEqualTo("no-cache");
        assertThat(server.anonymous().get("/ohif/").header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void filesGoGzippedToClientsThatAcceptItAndAsTheyAreToOthers() throws IOException {
        install();
        HttpTestClient.Response gzipped = server.anonymous().header("Accept-Encoding", "br, gzip").get("/ohif/app.bundle.abc.js");
        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzipped.header("Vary")).isEqualTo("Accept-Encoding");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("__webpack_require__.p = \"/ohif/\";");
        }
        HttpTestClient.Response refused = server.anonymous().header("Accept-Encoding", "gzip;q=0, identity")
                .get("/ohif/app.bundle.abc.js");
        assertThat(refused.header("Content-Encoding")).isNull();
        assertThat(refused.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(refused.text()).contains("__webpack_require__.p = \"/ohif/\";");
        assertThat(server.anonymous().get("/ohif/plain.bundle.js").text()).isEqualTo("console.log('/not a public path');\n");
    }

    @Test
    void aLargeFileGoesAsItIsWhileItsGzipCopyIsMadeOffTheRequest() throws IOException {
        install();
        String large = "console.log('a viewer bundle');\n".repeat(12_000);
        Files.writeString(viewer.resolve("large.bundle.js"), large);
        HttpTestClient.Response first = server.anonymous().header("Accept-Encoding", "gzip").get("/ohif/large.bundle.js");
        assertThat(first.header("Content-Encoding")).isNull();
        assertThat(first.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(first.text()).isEqualTo(large);
    }
}
