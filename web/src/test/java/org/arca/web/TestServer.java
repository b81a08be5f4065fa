package org.arca.web;

import java.util.function.UnaryOperator;
import org.arca.core.Repository;
import org.arca.core.RepositoryConfig;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;

/** A real repository behind a real HTTP server on a free port, for one test class. */
public final class TestServer implements AutoCloseable {
    private final TestRepository repository;
    private final ArcaWeb web;
    private final org.arca.ai.AiRuntime ai;
    private final ArcaPlugins.Listeners plugins;

    public TestServer(TestDatabases.Kind kind) {
        this(kind, c -> c);
    }

    public TestServer(TestDatabases.Kind kind, UnaryOperator<RepositoryConfig> tweak) {
        this(kind, tweak, w -> w);
    }

    /** With the web settings changed too (a viewer folder, say). */
    public TestServer(TestDatabases.Kind kind, UnaryOperator<RepositoryConfig> tweak, UnaryOperator<WebConfig> webTweak) {
        // As Arca.builder() wires it, with the default limits.
        repository = new TestRepository(kind, config -> tweak.apply(config.withSchemas(ArcaPlugins.SCHEMAS)));
        plugins = ArcaPlugins.installListeners(repository.repo(), org.arca.preview.ExtractionLimits.defaults());
        ai = org.arca.ai.AiPlugin.install(repository.repo(), org.arca.ai.AiSettings.defaults(repository.dataDir()));
        web = new ArcaWeb(repository.repo(), webTweak.apply(
                WebConfig.defaults(repository.dataDir(), 0).withHost("127.0.0.1")), ai).start();
    }

    public Repository repo() {
        return repository.repo();
    }

    public TestRepository fixture() {
        return repository;
    }

    public org.arca.ai.AiRuntime ai() {
        return ai;
    }

    /** The text extractor every upload reaches, as in the product. */
    public org.arca.preview.TextExtractor text() {
        return plugins.text();
    }

    public ArcaWeb web() {
        return web;
    }

    public String base() {
        return "http://127.0.0.1:" + web.port();
    }

    public Caller user(String login, org.arca.core.access.Role... roles) {
        return repository.user(login, roles);
    }

    public HttpTestClient as(String login) {
        return new HttpTestClient(base()).basic(login, TestRepository.PASSWORD);
    }

    public HttpTestClient anonymous() {
        return new HttpTestClient(base());
    }

    @Override
    public void close() {
        web.close();
        ai.close();
        repository.close();
    }
}
