package org.arca.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.arca.core.ArcaException;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Authentication;

/**
 * Decides who is calling from the request: a portal session cookie, {@code Authorization: Bearer <token>},
 * or HTTP Basic with a login and a password or token (what DICOM tools and scripts send). Credentials that
 * are present but wrong are refused outright, never taken for anonymous.
 */
final class Callers {
    static final String SESSION_COOKIE = "arca_session";
    private static final String ATTRIBUTE = "arca.caller";

    private final Authentication auth;
    private final boolean secureCookies;

    Callers(Authentication auth, boolean secureCookies) {
        this.auth = auth;
        this.secureCookies = secureCookies;
    }

    /** Runs before every route: resolves and remembers the caller. */
    void resolve(Context ctx) {
        ctx.attribute(ATTRIBUTE, identify(ctx));
    }

    private Caller identify(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return auth.token(header.substring(7).strip());
            }
            if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return basic(header.substring(6).strip(), source(ctx));
            }
            throw ArcaException.unauthorized("Use Bearer or Basic authorization.");
        }
        String session = ctx.cookie(SESSION_COOKIE);
        if (session != null) {
            var caller = auth.session(session);
            if (caller.isPresent()) {
                return caller.get();
            }
        }
        return Caller.ANONYMOUS;
    }

    private Caller basic(String encoded, String source) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ArcaException.unauthorized("The Basic credentials are not valid base64.");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ArcaException.unauthorized("Basic credentials are login:password.");
        }
        String login = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        if (Authentication.looksLikeToken(secret)) {
            Caller caller = auth.token(secret);
            if (!caller.login().equalsIgnoreCase(login)) {
                throw ArcaException.unauthorized("The token belongs to another login.");
            }
            return caller;
        }
        return auth.password(login, secret, source);
    }

    /**
     * Where a password came from, for the sign-in throttle: the peer's address. Not X-Forwarded-For, which any
     * client can write and so could pin its guesses on someone else's address.
     */
    static String source(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        return caller == null ? Caller.ANONYMOUS : caller;
    }

    /** For routes that make no sense anonymously (a 401 tells the client to sign in). */
    static Caller signedIn(Context ctx) {
        Caller caller = of(ctx);
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in first.");
        }
        return caller;
    }

    void setSessionCookie(Context ctx, String secret) {
        Cookie cookie = new Cookie(SESSION_COOKIE, secret);
        cookie.setHttpOnly(true);
        cookie.setSecure(secureCookies);
        cookie.setPath("/");
        cookie.setSameSite(SameSite.LAX);
        ctx.cookie(cookie);
    }

    void clearSessionCookie(Context ctx) {
        Cookie cookie = new Cookie(SESSION_COOKIE, "");
        cookie.setHttpOnly(true);
        cookie.setSecure(secureCookies);
        cookie.setPath("/");
        cookie.setMaxAge(0);
        cookie.setSameSite(SameSite.LAX);
        ctx.cookie(cookie);
    }
}
