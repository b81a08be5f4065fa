package org.arca.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Accounts;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.LoginThrottle;
import org.arca.core.accounts.PasswordHasher;
import org.arca.core.accounts.PublicKeys;
import org.arca.core.audit.AuditLog;
import org.arca.core.blob.BlobStore;
import org.arca.core.blob.FileBlobStore;
import org.arca.core.search.SearchIndex;
import org.arca.core.search.SearchQuery;
import org.arca.core.search.SearchResult;

/**
 * An open repository: the metadata store, the blob store and the services over them, wired by hand.
 * Every surface (REST, portal, DICOMweb, SFTP, AI) reads and writes through these services, which check
 * access in one place. Thread-safe; close it once.
 */
public final class Repository implements AutoCloseable {

    private final RepositoryConfig config;
    private final Database database;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final Accounts accounts;
    private final Authentication authentication;
    private final AccessControl access;
    private final ItemStore items;
    private final Ingest ingest = new Ingest();
    private final PutBatcher batcher;
    private final StoredBytes bytes;
    private final FolderTree folders;
    private final MetadataStore metadata;
    private final Maintenance maintenance;
    private final PublicKeys publicKeys;
    private final Notifications notifications;
    private final SearchIndex search;
    private final Sandbox sandbox;
    private final java.util.List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Repository(RepositoryConfig config, Database database, BlobStore blobs) {
        this.config = config;
        this.database = database;
        this.blobs = blobs;
        PasswordHasher hasher = new PasswordHasher();
        LoginThrottle throttle = new LoginThrottle(config.loginThrottle(), config.clock());
        this.audit = new AuditLog(database);
        Authentication[] auth = new Authentication[1];
        this.accounts = new Accounts(database, audit, hasher, () -> auth[0].credentialsChanged());
        this.authentication = new Authentication(database, accounts, audit, hasher, throttle, config.sessionLifetime(),
                config.clock());
        auth[0] = authentication;
        this.access = new AccessControl(database, accounts, audit);
        this.search = new SearchIndex(database, config.dataDir().resolve("search"));
        this.items = new ItemStore(database, access, audit, blobs, config.maxUploadBytes(), search, ingest);
        this.batcher = new PutBatcher(items);
        this.bytes = new StoredBytes(database, access, audit, blobs);
        this.folders = new FolderTree(database, access, audit, items, search);
        this.metadata = new MetadataStore(database, access, audit, search);
        this.maintenance = new Maintenance(database, blobs);
        this.publicKeys = new PublicKeys(database, accounts, audit, config.clock(), authentication::credentialsChanged);
        this.notifications = new Notifications(database, config.clock());
        this.sandbox = Sandbox.hiding(java.util.List.of(config.dataDir()));
    }

    /** Opens (creating on first use) the repository the configuration names, migrating the core's and plugins' schemas. */
    public static Repository open(RepositoryConfig config) {
        createDataDir(config);
        return open(config, new FileBlobStore(config.dataDir().resolve("blobs")));
    }

    /**
     * As {@link #open(RepositoryConfig)} with the bytes kept in {@code blobs} (another kind of storage than files
     * under the data folder); nothing but the repository's services reads them.
     */
    public static Repository open(RepositoryConfig config, BlobStore blobs) {
        createDataDir(config);
        Database database = Database.open(config.effectiveDbUrl(), config.dbUser(), config.dbPassword(),
                config.schemas());
        return new Repository(config, database, blobs);
    }

    private static void createDataDir(RepositoryConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + config.dataDir(), e);
        }
    }

    public RepositoryConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** Where bytes are written; every read of them goes through {@link #bytes()}. */
    public BlobStore blobs() {
        return blobs;
    }

    /** Reads of stored bytes, checked and audited. */
    public StoredBytes bytes() {
        return bytes;
    }

    public AuditLog audit() {
        return audit;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Authentication authentication() {
        return authentication;
    }

    public AccessControl access() {
        return access;
    }

    public FolderTree folders() {
        return folders;
    }

    /** The steps every upload passes before it is stored; plugins add theirs when installed. */
    public Ingest ingest() {
        return ingest;
    }

    /**
     * Stores uploads that arrive on many threads at once in shared transactions and syncs: the one batcher of the
     * surfaces that acknowledge each upload on its own (STOW-RS requests, SFTP closes).
     */
    public PutBatcher batcher() {
        return batcher;
    }

    public ItemStore items() {
        return items;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public Maintenance maintenance() {
        return maintenance;
    }

    public PublicKeys publicKeys() {
        return publicKeys;
    }

    public Notifications notifications() {
        return notifications;
    }

    /** How helper processes on untrusted bytes are started: the data folder is out of their sight. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** The search index over folders and items; other modules add to its documents with contributors. */
    public SearchIndex searchIndex() {
        return search;
    }

    /**
     * Something wired onto the repository that must stop before it does (a listener's worker threads): closed
     * first, newest first, by {@link #close}.
     */
    public void closeWith(AutoCloseable companion) {
        companions.add(companion);
    }

    /**
     * Fails unless {@code schema} was migrated when this repository opened: a plugin's install checks this first,
     * so a forgotten schema is told at start rather than by the first query on a missing table.
     */
    public void requireSchema(Schema schema) {
        if (!config.schemas().contains(schema)) {
            throw new IllegalStateException("the repository was opened without the schema " + schema.location()
                    + "; list it in RepositoryConfig.withSchemas");
        }
    }

    /** Searches what the caller may read. */
    public SearchResult search(Caller caller, SearchQuery query) {
        return search.search(caller, query, access);
    }

    /** True when the database answers and the blob folder is writable: what {@code /health} reports. */
    public boolean healthy() {
        return database.ping() && Files.isWritable(config.dataDir().resolve("blobs"));
    }

    @Override
    public void close() {
        for (AutoCloseable companion : companions.reversed()) {
            try {
                companion.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Repository.class).warn("closing {} failed", companion.getClass().getName(), e);
            }
        }
        search.close();
        database.close();
    }
}
