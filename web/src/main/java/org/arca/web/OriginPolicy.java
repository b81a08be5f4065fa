package org.arca.web;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.arca.core.ArcaException;

/**
 * The one rule on pages of other origins, for every route (REST, tus, DICOMweb with STOW-RS, sign-in):
 * <ul>
 *   <li>a POST, PUT, PATCH or DELETE that a browser sent from a page of another origin is refused (403), whatever
 *       credentials it carries. Browsers attach the session cookie, and Basic credentials typed into their password
 *       box, to requests any site makes; SameSite=Lax does not cover a sibling host, and sign-in needs no
 *       credentials at all (login CSRF). The browser names the page's origin in {@code Origin}, or, where it leaves
 *       that out, says {@code Sec-Fetch-Site: cross-site};</li>
 *   <li>pages of the origins in {@code cors-origins} (a viewer hosted elsewhere) may write too, and may read the
 *       answers (CORS, without credentials: they send a Bearer token);</li>
 *   <li>Arca's own pages may do anything their session allows. Scripts and DICOM tools send neither header and are
 *       not affected.</li>
 * </ul>
 * CORS is answered here rather than by Javalin's plugin, which turns a 200 for an unlisted origin, Arca's own
 * included, into a 400, so the portal's own renames failed once {@code cors-origins} was set. Thread-safe.
 */
final class OriginPolicy {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String EXPOSED = "X-Total-Count, Warning, Content-Range, Location, Arca-Item-Id, Upload-Offset";

    private final Set<String> listed;

    /** {@code corsOrigins}: scheme://host[:port] of other origins whose pages may call Arca. */
    OriginPolicy(List<String> corsOrigins) {
        this.listed = corsOrigins.stream().map(OriginPolicy::normalized).collect(Collectors.toUnmodifiableSet());
    }

    /** Runs before every request: refuses a cross-site write (403), answers CORS for listed origins. */
    void apply(Context ctx) {
        boolean write = WRITES.contains(ctx.method().name());
        String origin = ctx.header("Origin");
        if (origin == null) {
            if (write && "cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
                throw refused();
            }
            return;
        }
        if (sameOrigin(origin, ctx.header("Host"))) {
            return;
        }
        if (!listed.contains(normalized(origin))) {
            if (write) {
                throw refused();
            }
            return; // a read: without CORS headers the page cannot see the answer
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", EXPOSED);
        String preflight = ctx.header("Access-Control-Request-Method");
        if (ctx.method().name().equals("OPTIONS") && preflight != null) {
            ctx.header("Access-Control-Allow-Methods", preflight);
            String headers = ctx.header("Access-Control-Request-Headers");
            if (headers != null) {
                ctx.header("Access-Control-Allow-Headers", headers);
            }
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * Whether the page's origin is this server as the browser reached it: same host and port as the request's
     * {@code Host}. The scheme is not compared, so Arca behind a TLS proxy (https outside, http inside) still
     * knows its own pages; a proxy must pass on the {@code Host} it was called with. {@code Origin: null}
     * (sandboxed documents, some redirects) is never this server.
     */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI page = parse(origin);
        URI self = parse("http://" + host.strip());
        if (page == null || self == null || page.getHost() == null || self.getHost() == null) {
            return false;
        }
        int defaultPort = "https".equalsIgnoreCase(page.getScheme()) ? 443 : 80;
        int pagePort = page.getPort() < 0 ? defaultPort : page.getPort();
        int selfPort = self.getPort() < 0 ? defaultPort : self.getPort();
        return page.getHost().equalsIgnoreCase(self.getHost()) && pagePort == selfPort;
    }

    private static URI parse(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String normalized(String origin) {
        String text = origin.strip().toLowerCase(Locale.ROOT);
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static ArcaException refused() {
        return new ArcaException(ArcaException.Kind.FORBIDDEN, "cross_site_request",
                "A page of another site may not change anything here; use Arca's own pages or list that site in cors-origins.");
    }
}
