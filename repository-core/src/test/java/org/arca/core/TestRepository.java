package org.arca.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;

/** A real repository in a temporary folder on a real database, for one test class. */
public final class TestRepository implements AutoCloseable {

    public static final String PASSWORD = "correct horse battery";

    private final Path dataDir;
    private final Repository repository;

    public TestRepository(TestDatabases.Kind kind) {
        this(kind, config -> config);
    }

    public TestRepository(TestDatabases.Kind kind, java.util.function.UnaryOperator<RepositoryConfig> tweak) {
        try {
            dataDir = Files.createTempDirectory("arca-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RepositoryConfig config = tweak.apply(RepositoryConfig.defaults(dataDir)
                .withDatabase(TestDatabases.urlFor(kind), null, null));
        repository = Repository.open(config);
    }

    public Repository repo() {
        return repository;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates an active user and returns the caller they act as. */
    public Caller user(String login, Role... roles) {
        repository.accounts().create(Caller.SYSTEM,
                new Accounts.NewUser(login, PASSWORD, login + "@example.org", login, null, Set.of(roles)));
        return caller(login);
    }

    /** The caller a user acts as now (groups reloaded). */
    public Caller caller(String login) {
        return repository.authentication().password(login, PASSWORD);
    }

    public Item upload(Caller caller, String folderId, String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return repository.items().upload(caller, folderId, name, "text/plain", new ByteArrayInputStream(bytes),
                bytes.length, false);
    }

    @Override
    public void close() {
        repository.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
