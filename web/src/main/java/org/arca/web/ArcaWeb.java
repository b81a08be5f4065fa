package org.arca.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arca.core.ArcaException;
import org.arca.core.Repository;

/**
 * The HTTP surface of Arca on Javalin: the REST API under {@code /api/v1}, DICOMweb under {@code /dicom-web}, the
 * portal at {@code /}, the OHIF viewer at {@code /ohif/} when installed,
 * {@code /health} and {@code /metrics}. Built from an open {@link Repository}; every route reaches data only
 * through the repository's services. Start once, stop once.
 */
public final class ArcaWeb implements AutoCloseable {

    private static final String ROUTE = "arca.route";

    private final Repository repo;
    private final WebConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Route> routes;
    private final TusUploads tus;
    private final OhifViewer viewer;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("arca-web-housekeeping").factory());
    private Javalin app;

    /** Over an open repository and its AI runtime (which the caller starts and closes). */
    public ArcaWeb(Repository repo, WebConfig config, org.arca.ai.AiRuntime ai) {
        this.repo = repo;
        this.config = config;
        Callers callers = new Callers(repo.authentication(), config.secureCookies());
        Traffic traffic = new Traffic(metrics);
        OriginPolicy origins = new OriginPolicy(config.corsOrigins());
        this.tus = new TusUploads(repo, config.tusDir());
        List<Route> all = new ArrayList<>();
        all.addAll(new FolderApi(repo).routes());
        all.addAll(new TransferApi(repo, traffic).routes());
        all.addAll(tus.routes());
        all.addAll(new AccountApi(repo, callers).routes());
        all.addAll(new SftpApi(repo, config).routes());
        all.addAll(new NotificationsApi(repo).routes());
        org.arca.dicomweb.DicomQueries dicomQueries = new org.arca.dicomweb.DicomQueries(repo);
        all.addAll(new DicomWebApi(repo, dicomQueries).routes());
        all.addAll(new DicomPixelApi(repo, dicomQueries).routes());
        all.addAll(new StowRs(repo, new org.arca.dicomweb.DicomStore(repo)).routes());
        all.addAll(new SearchApi(repo).routes());
        all.addAll(new PreviewApi(repo, config.office(), config.previews()).routes());
        ExtractApi extract = new ExtractApi(repo, config.unpack());
        all.addAll(extract.routes());
        all.addAll(new AiApi(ai, extract::job).routes());
        all.addAll(new SystemApi(repo, metrics, config.metrics(), this::routes).routes());
        this.routes = Collections.unmodifiableList(all);
        this.viewer = new OhifViewer(config.viewerDir());
        Gauge.builder("arca.blobstore.bytes", repo.blobs(), b -> b.storedBytes())
                .description("Bytes held by the blob store").register(metrics);
        Gauge.builder("arca.db.statements", repo.database(), d -> d.statementsExecuted())
                .description("SQL statements run since start").register(metrics);
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxJsonBytes();
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            JettySetup.apply(cfg, config.host(), config.port(), config.limits());
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/portal";
                files.location = Location.CLASSPATH;
            });
            // The OHIF viewer's files, like the portal's, are static assets and the same for every caller: not API
            // routes, so not in the route list, the OpenAPI document or the authorization matrix. The data it shows
            // comes through /dicom-web and its checks.
            cfg.routes.addHttpHandler(HandlerType.GET, "/ohif", viewer::serve);
            cfg.routes.addHttpHandler(HandlerType.GET, "/ohif/*", viewer::serve);
            cfg.routes.before(RequestLog::begin);
            cfg.routes.before(SecurityHeaders::apply);
            cfg.routes.before(origins::apply);
            cfg.routes.before("/api/*", callers::resolve);
            cfg.routes.before("/metrics", ctx -> config.metrics().authorize(ctx, callers));
            cfg.routes.before("/dicom-web/*", callers::resolve);
            cfg.routes.after(ctx -> finish(ctx));
            for (Route route : routes) {
                cfg.routes.addHttpHandler(route.method(), route.path(), ctx -> {
                    ctx.attribute(ROUTE, route.path());
                    route.handler().handle(ctx);
                });
            }
            cfg.routes.exception(ArcaException.class, HttpErrors::arca);
            cfg.routes.exception(Exception.class, HttpErrors::unexpected);
            cfg.routes.error(404, ctx -> {
                if ((ctx.path().startsWith("/api/") || ctx.path().startsWith("/dicom-web/")) && ctx.result() == null) {
                    HttpErrors.write(ctx, 404, "not_found", "There is no such route.");
                }
            });
            cfg.routes.error(413, ctx -> HttpErrors.write(ctx, 413, "too_large",
                    "The request body is larger than " + config.maxJsonBytes() + " bytes."));
        });
    }

    /** Starts listening; returns this for chaining. */
    public ArcaWeb start() {
        // Expired uploads go before the first request, so a restart is enough to be rid of them.
        tus.cleanup();
        app.start();
        Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("ohif-prepare").start(viewer::prepare);
        housekeeping.scheduleWithFixedDelay(tus::cleanup, 60, 60, TimeUnit.MINUTES);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Every route in declaration order: the OpenAPI document and the authorization test read this. */
    public List<Route> routes() {
        return routes;
    }

    /** Folders of interrupted resumable uploads under a {@link WebConfig#tusDir()}, for {@code gc} to sweep. */
    public static List<org.arca.core.ResumableParts> resumableUploads(java.nio.file.Path tusDir) {
        return TusUploads.resumableParts(tusDir);
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    private void finish(Context ctx) {
        String route = ctx.attribute(ROUTE);
        if (route == null) {
            route = ctx.path().startsWith("/api/") ? "unmatched" : "static";
        }
        Timer.builder("arca.http.requests").description("HTTP requests by route and status")
                .tags("method", ctx.method().name(), "route", route, "status", Integer.toString(ctx.status().getCode()))
                .register(metrics)
                .record(System.nanoTime() - RequestLog.startNanos(ctx), TimeUnit.NANOSECONDS);
        RequestLog.end(ctx, route);
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        app.stop();
    }
}
