package org.arca.web;

import java.util.function.UnaryOperator;
import org.arca.core.Caller;
import org.arca.core.Repository;
import org.arca.core.RepositoryConfig;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;

/** A real repository behind a real HTTP server on a free port, for one test class. */
public final class TestServer implements AutoCloseable {
    private final TestRepository repository;
    private final ArcaWeb web;
    private final org.arca.ai.AiRuntime ai;

    public TestServer(TestDatabases.Kind kind) {
        this(kind, c -> c);
    }

    public TestServer(TestDatabases.Kind kind, UnaryOperator<RepositoryConfig> tweak) {
        this(kind, tweak, w -> w);
    }

    /** With the web settings changed too (a viewer folder, say). */
    public TestServer(TestDatabases.Kind kind, UnaryOperator<RepositoryConfig> tweak, UnaryOperator<WebConfig> webTweak) {
        repository = new TestRepository(kind, tweak);
        // As Arca.builder() wires it: the DICOM index hears of every item.
        repository.repo().items().addListener(new org.arca.dicomweb.DicomIndexer(repository.repo().database(),
                repository.repo().bytes()));
        repository.repo().searchIndex().addContributor(new org.arca.dicomweb.DicomSearchFields(repository.repo().database()));
        ai = new org.arca.ai.AiRuntime(repository.repo(), org.arca.ai.AiSettings.defaults(repository.dataDir())).start();
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

    public ArcaWeb web() {
        return web;
    }

    public String base() {
        return "http://127.0.0.1:" + web.port();
    }

    public Caller user(String login, org.arca.core.Role... roles) {
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
