package org.arca.web;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers have not all arrived within the header timeout. Jetty 12
 * bounds a body's data rate ({@code HttpConfiguration#setMinRequestDataRate}) but not a header's, and its idle
 * timeout starts again with every byte, so a client trickling one header byte a second would hold a connection
 * (a thread, buffers) for ever. Connections between requests are idle, not slow: the idle timeout ends those.
 *
 * <p>Jetty's parser is the only place that knows a header is under way and when it began; it lives in Jetty's
 * {@code internal} package, which is public but not promised to stay. A read from this thread may see its state
 * a moment late, which delays a close by one check at most. Added to a connector as a bean and a listener.
 */
final class SlowHeaderGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SlowHeaderGuard.class);

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final long periodMillis;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();

    SlowHeaderGuard(Scheduler scheduler, Duration headerTimeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = headerTimeout.toNanos();
        // A quarter of the timeout, so a slow header is closed at most a quarter late, and at most once a second.
        this.periodMillis = Math.clamp(headerTimeout.toMillis() / 4, 50, 1000);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.add(http);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    @Override
    protected void doStart() {
        scheduler.schedule(this::check, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (!isRunning()) {
            return;
        }
        try {
            for (HttpConnection connection : open) {
                HttpParser parser = connection.getParser();
                if (parser.inHeaderState() && !parser.isStart() && NanoTime.since(parser.getBeginNanoTime()) > timeoutNanos) {
                    LOG.info("closed a connection whose request headers took longer than {} ms", timeoutNanos / 1_000_000);
                    connection.getEndPoint().close();
                }
            }
        } finally {
            // Stopping stops the connector's scheduler too, which then refuses new tasks.
            if (isRunning()) {
                scheduler.schedule(this::check, periodMillis, TimeUnit.MILLISECONDS);
            }
        }
    }
}
