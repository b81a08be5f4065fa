package org.arca.web;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What Arca changes in the Jetty under Javalin: its error pages answer JSON like every route
 * ({@link JsonErrorHandler}), and slow clients are cut off ({@link HttpLimits}): a body below the minimum rate
 * gets a 408 ({@link BodyRateGuard}), headers past their timeout lose the connection ({@link SlowHeaderGuard}), an idle connection closes.
 */
final class JettySetup {

    private JettySetup() {
    }

    static void apply(JavalinConfig cfg, String host, int port, HttpLimits limits) {
        JsonErrorHandler errors = new JsonErrorHandler();
        cfg.jetty.modifyServer(server -> server.setErrorHandler(errors));
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        // Jetty's own body-rate check counts the server's time as the client's; BodyRateGuard counts waiting only.
        cfg.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(0));
        cfg.jetty.modifyServletContextHandler(context -> context.addFilter(
                new FilterHolder(new BodyRateGuard(limits.minBodyBytesPerSecond())), "/*", EnumSet.of(DispatcherType.REQUEST)));
        cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            connector.addBean(new SlowHeaderGuard(connector.getScheduler(), limits.headerTimeout()));
            return connector;
        });
    }
}
