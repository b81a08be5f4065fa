package org.arca.web;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects the routes of each API class in declaration order. */
final class RouteList {
    private final List<Route> routes = new ArrayList<>();
    private final String tag;

    RouteList(String tag) {
        this.tag = tag;
    }

    private RouteList(List<Route> shared, String tag) {
        this.tag = tag;
        this.routes.addAll(shared);
    }

    RouteList get(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.GET, path, audience, summary, handler);
    }

    RouteList post(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.POST, path, audience, summary, handler);
    }

    RouteList put(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.PUT, path, audience, summary, handler);
    }

    RouteList patch(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.PATCH, path, audience, summary, handler);
    }

    RouteList delete(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.DELETE, path, audience, summary, handler);
    }

    RouteList head(String path, Route.Audience audience, String summary, Handler handler) {
        return add(HandlerType.HEAD, path, audience, summary, handler);
    }

    RouteList add(HandlerType method, String path, Route.Audience audience, String summary, Handler handler) {
        routes.add(new Route(method, path, tag, summary, audience, handler));
        return this;
    }

    List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }
}
