package org.arca.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves an installed OHIF viewer (the {@code dist/} folder of npm {@code @ohif/app} 3.13.x, put in place by
 * {@code arca viewer install}) at {@value #PREFIX}, with an {@code app-config.js} of Arca's own that points the
 * viewer at this server's DICOMweb. Same origin, so the portal's session cookie goes along with every DICOMweb
 * request and DICOMweb's folder checks decide what the viewer shows; the viewer's files themselves are the
 * same for every caller.
 *
 * <p>The build assumes it is served at {@code /}. Rather than rebuild it, the few places that name the public
 * path are rewritten as they are served: {@code window.PUBLIC_URL} and root-absolute {@code href}/{@code src}
 * in {@code index.html}, webpack's {@code __webpack_require__.p = "/"} in the app and worker bundles,
 * {@code url(/...)} in style sheets and the icons of {@code manifest.json}. Rewritten files are kept in memory until the file on disk changes.
 *
 * <p>{@code /ohif/folders/{id}/...} opens the viewer on one folder's subtree ({@code /dicom-web/folders/{id}});
 * the generated configuration reads the folder from the page's address. Unknown paths without a file
 * extension answer {@code index.html}, so the viewer's own routes ({@code /ohif/viewer?...}) reload.
 *
 * <p>Pages are served with the viewer's Content-Security-Policy ({@link SecurityHeaders}) plus the hashes of their
 * own inline scripts, so those two run and nothing else inline does.
 *
 * <p>The folder is looked at on every request: installing or removing the viewer needs no restart.
 * Thread-safe.
 */
final class OhifViewer {

    static final String PREFIX = "/ohif/";
    private static final String ROOT = "/ohif";

    private static final Pattern ROOT_ABSOLUTE_ATTRIBUTE = Pattern.compile("((?:href|src|content)=\")/(?!/)");
    private static final Pattern MANIFEST_ICON = Pattern.compile("(\"src\"\\s*:\\s*\")/(?!/)");
    private static final Pattern CSS_ROOT_URL = Pattern.compile("url\\(([\"']?)/(?!/)");
    private static final String WEBPACK_PUBLIC_PATH = "__webpack_require__.p = \"/\";";
    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,8}$");
    /** A name the build gives only one content: a 16-hex-digit hash ({@code app.bundle.0f6159c501addfe9.js}, {@code a34f9d1faa5f3315.woff2}). */
    private static final Pattern CONTENT_HASHED = Pattern.compile("(^|\\.)[0-9a-f]{16,}\\.[A-Za-z0-9]+$");
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("wasm", "application/wasm"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("xml", "application/xml"), Map.entry("txt", "text/plain; charset=utf-8"));

    private final Path dir;
    private final Map<Path, Served> cache = new ConcurrentHashMap<>();
    private final Map<Path, ReentrantLock> fillLocks = new ConcurrentHashMap<>();
    private final GzipCopy gzips = new GzipCopy();

    /**
     * What one file is served as: its bytes when rewritten, else null (stream it from disk), and for a page the
     * hashes of its inline scripts, which its Content-Security-Policy allows.
     */
    private record Served(long size, long modified, byte[] rewritten, List<String> scriptHashes) {
    }

    OhifViewer(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Whether a viewer is installed in the folder. */
    boolean installed() {
        return Files.isRegularFile(dir.resolve("index.html"));
    }

    /** Handles {@code GET /ohif} and {@code GET /ohif/*}. */
    void serve(Context ctx) throws IOException {
        if (!installed()) {
            notInstalled(ctx);
            return;
        }
        String path = ctx.path();
        if (path.equals(ROOT)) {
            ctx.redirect(PREFIX);
            return;
        }
        // A path, not a form: '+' stays '+'.
        String relative = URLDecoder.decode(path.substring(PREFIX.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (relative.equals("app-config.js")) {
            ctx.header("Cache-Control", "no-cache").contentType(TYPES.get("js")).result(appConfig());
            return;
        }
        Path file = relative.isEmpty() ? null : resolve(relative);
        if (file == null || !Files.isRegularFile(file)) {
            String last = relative.substring(relative.lastIndexOf('/') + 1);
            if (EXTENSION.matcher(last).find()) {
                ctx.status(404).contentType(TYPES.get("txt")).result("The viewer has no file " + relative + ".");
                return;
            }
            file = dir.resolve("index.html");
        }
        send(ctx, file);
    }

    /** The file under the viewer folder that {@code relative} names, or null if it would leave the folder. */
    private Path resolve(String relative) {
        if (relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            return null;
        }
        Path file = dir.resolve(relative).normalize();
        return file.startsWith(dir) && !file.equals(dir) ? file : null;
    }

    private void send(Context ctx, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = attributes.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified) + "\"";
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        // A content-hashed name never changes content, so the browser keeps it for a year without asking again;
        // other files are revalidated on every use: a reinstalled viewer keeps their names (index.html, app.bundle.css).
        ctx.header("Cache-Control", CONTENT_HASHED.matcher(name).find() ? "public, max-age=31536000, immutable" : "no-cache")
                .header("ETag", etag);
        ctx.contentType(TYPES.getOrDefault(extension, "application/octet-stream"));
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        Served served = served(file, attributes, name, extension);
        if (!served.scriptHashes().isEmpty()) {
            ctx.header("Content-Security-Policy", SecurityHeaders.viewerPolicy(served.scriptHashes()));
        }
        GzipCopy.Plain plain = () -> served.rewritten() != null ? served.rewritten() : Files.readAllBytes(file);
        boolean compressible = GzipCopy.compressible(extension, attributes.size());
        boolean gzipAccepted = GzipCopy.accepted(ctx.header("Accept-Encoding"));
        byte[] gzipped = compressible && gzipAccepted ? gzips.of(file, attributes.size(), modified, extension, plain) : null;
        if (compressible) {
            ctx.header("Vary", "Accept-Encoding");
        }
        if (gzipped != null) {
            // Javalin compresses no answer that already names its encoding.
            ctx.header("Content-Encoding", "gzip").result(gzipped);
        } else if (compressible && gzipAccepted) {
            // Its copy is still being made: sent as it is, past Javalin's compression, which would do it again here.
            byte[] bytes = plain.read();
            ctx.res().setContentLengthLong(bytes.length);
            ctx.res().getOutputStream().write(bytes);
        } else if (served.rewritten() != null) {
            ctx.result(served.rewritten());
        } else {
            ctx.result(Files.newInputStream(file));
        }
    }

    private Served served(Path file, BasicFileAttributes attributes, String name, String extension) throws IOException {
        long modified = attributes.lastModifiedTime().toMillis();
        // One fill per file: a browser asking while prepare() rewrites the same bundle waits for it, not does it twice.
        // A lock, not synchronized: requests run on virtual threads, which a monitor would pin on Java 21.
        ReentrantLock lock = fillLocks.computeIfAbsent(file, f -> new ReentrantLock());
        lock.lock();
        try {
            Served served = cache.get(file);
            if (served == null || served.size() != attributes.size() || served.modified() != modified) {
                byte[] rewritten = rewrite(name, extension, file);
                List<String> hashes = extension.equals("html")
                        ? inlineScriptHashes(rewritten != null ? rewritten : Files.readAllBytes(file)) : List.of();
                served = new Served(attributes.size(), modified, rewritten, hashes);
                cache.put(file, served);
            }
            return served;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rewrites the viewer's top-level files (its scripts, styles and codecs) and queues their gzip copies ahead of the
     * first browser, which otherwise waits for the rewriting after every restart and gets no copy ready. Errors are
     * left for the requests to meet.
     */
    void prepare() {
        if (!installed()) {
            return;
        }
        // index.html first, then the largest files, which the browser waits on longest (the app bundle comes first).
        try (var listed = Files.list(dir)) {
            List<Path> files = listed.sorted(java.util.Comparator.comparing((Path f) -> !f.endsWith("index.html"))
                    .thenComparing(f -> -f.toFile().length())).toList();
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                String name = file.getFileName().toString();
                if (attributes.isRegularFile() && name.indexOf('.') >= 0) {
                    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    Served served = served(file, attributes, name, extension);
                    gzips.prepare(file, attributes.size(), attributes.lastModifiedTime().toMillis(), extension,
                            () -> served.rewritten() != null ? served.rewritten() : Files.readAllBytes(file));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only an optimisation: a request for the file reads it again and answers the error then.
        }
    }

    /** The file's bytes with the public path made {@value #PREFIX}, or null when nothing in it names it. */
    private static byte[] rewrite(String name, String extension, Path file) throws IOException {
        if (name.equals("manifest.json")) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return MANIFEST_ICON.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + PREFIX))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (!extension.equals("html") && !extension.equals("js") && !extension.equals("css")) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String changed = switch (extension) {
            case "html" -> name.equals("index.html") ? rewriteIndex(text) : text;
            case "js" -> text.replace(WEBPACK_PUBLIC_PATH, "__webpack_require__.p = \"" + PREFIX + "\";");
            default -> CSS_ROOT_URL.matcher(text).replaceAll(m -> Matcher.quoteReplacement("url(" + m.group(1) + PREFIX));
        };
        return changed.equals(text) ? null : changed.getBytes(StandardCharsets.UTF_8);
    }

    /** 'sha256-...' of each inline script of a page, as a Content-Security-Policy names them. */
    static List<String> inlineScriptHashes(byte[] html) {
        List<String> hashes = new ArrayList<>();
        Matcher m = INLINE_SCRIPT.matcher(new String(html, StandardCharsets.UTF_8));
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                hashes.add("sha256-" + Base64.getEncoder().encodeToString(sha256(m.group(1).getBytes(StandardCharsets.UTF_8))));
            }
        }
        return hashes;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String rewriteIndex(String html) {
        String publicUrl = html.replace("window.PUBLIC_URL=\"/\"", "window.PUBLIC_URL=\"" + PREFIX + "\"");
        return ROOT_ABSOLUTE_ATTRIBUTE.matcher(publicUrl).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + PREFIX));
    }

    /**
     * The viewer's configuration: one DICOMweb data source on this origin. The folder of a
     * {@code /ohif/folders/{id}/} address is read in the browser, so one file serves every folder.
     */
    static String appConfig() {
        return """
                // Generated by Arca: the OHIF viewer reads this Arca's DICOMweb, on the same origin, so the portal's
                // session decides what it shows. Under /ohif/folders/{id}/ it sees that folder's subtree only.
                (function () {
                  var match = window.location.pathname.match(/^\\/ohif\\/folders\\/([^\\/]+)/);
                  var folder = match ? decodeURIComponent(match[1]) : null;
                  var root = folder ? '/dicom-web/folders/' + encodeURIComponent(folder) : '/dicom-web';
                  window.config = {
                    name: 'arca',
                    routerBasename: folder ? '/ohif/folders/' + encodeURIComponent(folder) : '/ohif',
                    extensions: [],
                    modes: [],
                    customizationService: {},
                    showStudyList: true,
                    maxNumberOfWebWorkers: 3,
                    showWarningMessageForCrossOrigin: false,
                    showCPUFallbackMessage: true,
                    showLoadingIndicator: true,
                    strictZSpacingForVolumeViewport: true,
                    investigationalUseDialog: { option: 'never' },
                    defaultDataSourceName: 'dicomweb',
                    dataSources: [
                      {
                        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
                        sourceName: 'dicomweb',
                        configuration: {
                          friendlyName: 'Arca',
                          name: 'arca',
                          qidoRoot: root,
                          wadoRoot: root,
                          wadoUriRoot: root,
                          qidoSupportsIncludeField: true,
                          imageRendering: 'wadors',
                          thumbnailRendering: 'wadors',
                          enableStudyLazyLoad: true,
                          supportsFuzzyMatching: true,
                          supportsWildcard: true,
                          omitQuotationForMultipartRequest: true,
                          bulkDataURI: { enabled: true },
                        },
                      },
                    ],
                  };
                })();
                """;
    }

    private void notInstalled(Context ctx) {
        ctx.status(404).header("Cache-Control", "no-cache").contentType(TYPES.get("html")).result("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>OHIF viewer not installed</title></head>
                <body><h1>The OHIF viewer is not installed</h1>
                <p>Arca serves the OHIF viewer here once an administrator has installed it:</p>
                <pre>java -jar arca.jar viewer install</pre>
                <p>It fetches the viewer from the npm registry, checks it and unpacks it into the viewer folder
                (setting <code>viewer-dir</code>, by default <code>DATA-DIR/viewer</code>). No restart is needed.</p>
                <p><a href="/">Back to the portal</a></p></body></html>
                """);
    }
}
