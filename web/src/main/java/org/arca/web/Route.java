package org.arca.web;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One HTTP route of Arca: method, Javalin path, a one-line summary for the OpenAPI document, and who may
 * call it in principle ({@code audience}); the fine-grained check is the core's. Every route is declared
 * through {@link RouteList}, the one place a newcomer reads to see the whole API.
 */
public record Route(HandlerType method, String path, String tag, String summary, Audience audience, Handler handler) {

    /** Who a route is for, before the core looks at folder ACLs. */
    public enum Audience {
        /** Anyone; public folders are readable without signing in. */
        ANYONE,
        /** Signed-in users. */
        SIGNED_IN,
        /** Administrators only. */
        ADMIN
    }

    public String key() {
        return method.name() + " " + path;
    }
}
