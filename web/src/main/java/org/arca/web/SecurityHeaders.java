package org.arca.web;

import io.javalin.http.Context;
import java.util.List;

/**
 * The browser-facing security headers of every answer, decided in one place and set before any handler runs (a
 * streamed download is committed long before an after-handler could add a header).
 *
 * <p>Everything Arca serves on its origin is one of three things, told apart by path:
 * <ul>
 *   <li>the portal's page ({@code /}, {@code /index.html}): a strict policy, only Arca's own scripts and styles,
 *       never framed by anyone;</li>
 *   <li>the OHIF viewer under {@code /ohif}: it compiles WebAssembly codecs, starts workers from blob: URLs and sets
 *       styles inline, so its policy allows those and nothing from elsewhere; framed only by Arca itself;</li>
 *   <li>everything else, the API and DICOMweb above all: bytes a user stored (item content, archives, DICOM
 *       instances and frames) or answers made from them (previews, rendered images, JSON). These get
 *       {@code sandbox}: even an HTML or SVG file opened inline renders in an opaque origin with scripts off, so it
 *       can neither run nor reach {@code /api/v1} with the viewer's session. A new route is covered without a
 *       thought, which is why this is the default rather than a list of content routes.</li>
 * </ul>
 * {@code X-Content-Type-Options: nosniff} goes on every answer, so a browser never guesses a script or a page into
 * a file declared as something else. Stateless and thread-safe.
 */
final class SecurityHeaders {

    static final String CONTENT_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; "
            + "style-src 'unsafe-inline'; font-src 'self'; frame-ancestors 'self'";

    static final String PORTAL_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /**
     * OHIF 3.13: 'wasm-unsafe-eval' for its image codecs, blob: workers, inline style attributes from its React
     * components, and 'unsafe-eval': loading a DICOM SEG evaluates generated code (without it OhifViewerTest's
     * segmentation overlay fails with an EvalError). Its index.html holds two small inline scripts (public path,
     * dynamic import helper); the viewer adds their hashes to this policy where it serves that page (see
     * {@link OhifViewer}), so no other inline script runs.
     */
    static final String VIEWER_POLICY = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' data: blob:; "
            + "media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    private SecurityHeaders() {
    }

    /** The viewer's policy with the inline scripts of the page being served allowed by hash ('sha256-...'). */
    static String viewerPolicy(List<String> inlineScriptHashes) {
        StringBuilder sources = new StringBuilder();
        inlineScriptHashes.forEach(hash -> sources.append(" '").append(hash).append('\''));
        return VIEWER_POLICY.replace("script-src 'self'", "script-src 'self'" + sources);
    }

    /** Runs before every request. */
    static void apply(Context ctx) {
        String path = ctx.path();
        ctx.header("X-Content-Type-Options", "nosniff");
        if (path.equals("/") || path.equals("/index.html")) {
            ctx.header("Content-Security-Policy", PORTAL_POLICY);
            ctx.header("X-Frame-Options", "DENY");
        } else if (path.equals("/ohif") || path.startsWith(OhifViewer.PREFIX)) {
            ctx.header("Content-Security-Policy", VIEWER_POLICY);
            ctx.header("X-Frame-Options", "SAMEORIGIN");
        } else {
            ctx.header("Content-Security-Policy", CONTENT_POLICY);
            ctx.header("X-Frame-Options", "SAMEORIGIN");
        }
    }
}
