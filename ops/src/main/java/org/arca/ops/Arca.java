package org.arca.ops;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import org.arca.ai.AiPlugin;
import org.arca.ai.AiRuntime;
import org.arca.ai.AiSettings;
import org.arca.core.Repository;
import org.arca.core.RepositoryConfig;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;
import org.arca.preview.ExtractionLimits;
import org.arca.sftp.SftpServer;
import org.arca.sftp.SftpSettings;
import org.arca.web.ArcaPlugins;
import org.arca.web.ArcaWeb;
import org.arca.web.HttpLimits;
import org.arca.web.MetricsAccess;
import org.arca.web.SftpInfo;
import org.arca.web.WebConfig;

/**
 * A whole Arca in-process: the repository and the surfaces over it, wired here with constructors, top to
 * bottom. The launcher's {@code serve} uses it, so do tests and any application that embeds Arca:
 * <pre>{@code
 * try (Arca arca = Arca.builder().dataDir(dir).httpPort(0).start()) { ... arca.httpPort() ... }
 * }</pre>
 */
public final class Arca implements AutoCloseable {

    /** The first admin's login. */
    public static final String ADMIN_LOGIN = "admin";

    private final Repository repository;
    private final AiRuntime ai;
    private final ArcaWeb web;
    private final SftpServer sftp;
    private final String generatedAdminPassword;

    private Arca(Repository repository, AiRuntime ai, ArcaWeb web, SftpServer sftp, String generatedAdminPassword) {
        this.repository = repository;
        this.ai = ai;
        this.web = web;
        this.sftp = sftp;
        this.generatedAdminPassword = generatedAdminPassword;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builder of an Arca; every setting defaults as in {@link ArcaConfig}, from the same constants of the module
     * the setting belongs to.
     */
    public static final class Builder {
        private Path dataDir = Path.of(ArcaConfig.Key.DATA_DIR.fallback());
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private String httpHost = WebConfig.DEFAULT_HOST;
        private int httpPort = WebConfig.DEFAULT_PORT;
        private String adminPassword;
        private java.util.function.Consumer<String> generatedPasswordShown = password -> { };
        private long maxUploadBytes = RepositoryConfig.DEFAULT_MAX_UPLOAD_BYTES;
        private boolean secureCookies;
        private java.util.List<String> corsOrigins = java.util.List.of();
        private Path viewerDir;
        private MetricsAccess metricsAccess = MetricsAccess.defaults();
        private HttpLimits httpLimits = HttpLimits.defaults();
        private int aiMaxHeapMb = AiSettings.DEFAULT_MAX_HEAP_MB;
        private int aiMaxThreads = AiSettings.DEFAULT_MAX_THREADS;
        private int aiMaxWallSeconds = AiSettings.DEFAULT_MAX_WALL_SECONDS;
        private int aiMaxMemoryMb = AiSettings.DEFAULT_MAX_MEMORY_MB;
        private boolean aiSpareWorker = AiSettings.DEFAULT_SPARE_WORKER;
        private int sftpPort = SftpSettings.DEFAULT_PORT;
        private java.time.Duration sftpIdleTimeout = SftpSettings.DEFAULT_IDLE_TIMEOUT;
        private int sftpMaxSessionsPerUser = SftpSettings.DEFAULT_MAX_SESSIONS_PER_USER;
        private java.time.Duration sftpPartialExpiry = SftpSettings.DEFAULT_PARTIAL_EXPIRY;
        private ExtractionLimits extractionLimits = ExtractionLimits.defaults();
        private org.arca.preview.PreviewLimits previewLimits = org.arca.preview.PreviewLimits.defaults();
        private org.arca.preview.ZipUnpack.Limits unpackLimits = org.arca.preview.ZipUnpack.Limits.defaults();

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder database(String url, String user, String password) {
            this.dbUrl = url;
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        public Builder httpHost(String host) {
            this.httpHost = host;
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The first admin's password, used only when the repository has no admin yet. */
        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        /**
         * Hears, once and before any port opens, the password a first start generated for the admin, so it is
         * shown even if a surface then fails to start (the account exists from then on).
         */
        public Builder onGeneratedAdminPassword(java.util.function.Consumer<String> shown) {
            this.generatedPasswordShown = shown;
            return this;
        }

        public Builder maxUploadBytes(long bytes) {
            this.maxUploadBytes = bytes;
            return this;
        }

        public Builder secureCookies(boolean secure) {
            this.secureCookies = secure;
            return this;
        }

        public Builder corsOrigins(java.util.List<String> origins) {
            this.corsOrigins = java.util.List.copyOf(origins);
            return this;
        }

        /** Folder of the OHIF viewer served at {@code /ohif/}; default: the data folder's {@code viewer}. */
        public Builder viewerDir(Path dir) {
            this.viewerDir = dir;
            return this;
        }

        /** Who may read {@code /metrics}. */
        public Builder metrics(MetricsAccess access) {
            this.metricsAccess = access;
            return this;
        }

        /** How slow an HTTP client may be before its connection is closed. */
        public Builder httpLimits(HttpLimits limits) {
            this.httpLimits = limits;
            return this;
        }

        /** Caps on every AI worker, whatever its model's manifest asks for. */
        public Builder aiLimits(int maxHeapMb, int maxThreads, int maxWallSeconds, int maxMemoryMb) {
            this.aiMaxHeapMb = maxHeapMb;
            this.aiMaxThreads = maxThreads;
            this.aiMaxWallSeconds = maxWallSeconds;
            this.aiMaxMemoryMb = maxMemoryMb;
            return this;
        }

        /** Whether one AI worker is kept started ahead, after a first job, for the next (default true). */
        public Builder aiSpareWorker(boolean spare) {
            this.aiSpareWorker = spare;
            return this;
        }

        /** Port of the SFTP server (it listens on the HTTP host's address); 0 turns it off. */
        public Builder sftpPort(int port) {
            this.sftpPort = port;
            return this;
        }

        /** Idle timeout, sessions per user, and how long an interrupted upload may be resumed. */
        public Builder sftpLimits(java.time.Duration idleTimeout, int maxSessionsPerUser, java.time.Duration partialExpiry) {
            this.sftpIdleTimeout = idleTimeout;
            this.sftpMaxSessionsPerUser = maxSessionsPerUser;
            this.sftpPartialExpiry = partialExpiry;
            return this;
        }

        /** Bounds of text extraction, preview workers and ZIP unpacking. */
        public Builder contentLimits(ExtractionLimits extraction, org.arca.preview.PreviewLimits previews,
                                     org.arca.preview.ZipUnpack.Limits unpack) {
            this.extractionLimits = extraction;
            this.previewLimits = previews;
            this.unpackLimits = unpack;
            return this;
        }

        public Builder configure(ArcaConfig config) {
            dataDir(config.dataDir());
            String url = config.get(ArcaConfig.Key.DB_URL);
            database(url.isBlank() ? null : url, blankToNull(config.get(ArcaConfig.Key.DB_USER)),
                    blankToNull(config.get(ArcaConfig.Key.DB_PASSWORD)));
            httpHost(config.get(ArcaConfig.Key.HTTP_HOST));
            httpPort(config.intValue(ArcaConfig.Key.HTTP_PORT));
            adminPassword(blankToNull(config.get(ArcaConfig.Key.ADMIN_PASSWORD)));
            maxUploadBytes(config.longValue(ArcaConfig.Key.MAX_UPLOAD_BYTES));
            secureCookies(Boolean.parseBoolean(config.get(ArcaConfig.Key.SECURE_COOKIES)));
            corsOrigins(java.util.Arrays.stream(config.get(ArcaConfig.Key.CORS_ORIGINS).split(",")).map(String::strip)
                    .filter(o -> !o.isEmpty()).toList());
            viewerDir(config.viewerDir());
            metrics(MetricsAccess.parse(config.get(ArcaConfig.Key.METRICS), config.get(ArcaConfig.Key.METRICS_TOKEN)));
            httpLimits(new HttpLimits(java.time.Duration.ofSeconds(config.longValue(ArcaConfig.Key.HTTP_HEADER_TIMEOUT_SECONDS)),
                    config.longValue(ArcaConfig.Key.HTTP_MIN_BODY_BYTES_PER_SECOND),
                    java.time.Duration.ofSeconds(config.longValue(ArcaConfig.Key.HTTP_IDLE_TIMEOUT_SECONDS))));
            aiLimits(config.intValue(ArcaConfig.Key.AI_MAX_HEAP_MB), config.intValue(ArcaConfig.Key.AI_MAX_THREADS),
                    config.intValue(ArcaConfig.Key.AI_MAX_WALL_SECONDS), config.intValue(ArcaConfig.Key.AI_MAX_MEMORY_MB));
            aiSpareWorker(Boolean.parseBoolean(config.get(ArcaConfig.Key.AI_SPARE_WORKER)));
            sftpPort(config.intValue(ArcaConfig.Key.SFTP_PORT));
            sftpLimits(java.time.Duration.ofSeconds(config.longValue(ArcaConfig.Key.SFTP_IDLE_TIMEOUT_SECONDS)),
                    config.intValue(ArcaConfig.Key.SFTP_MAX_SESSIONS_PER_USER),
                    java.time.Duration.ofHours(config.longValue(ArcaConfig.Key.SFTP_PARTIAL_UPLOAD_HOURS)));
            contentLimits(new ExtractionLimits(config.longValue(ArcaConfig.Key.EXTRACT_MAX_FILE_MB) << 20,
                            config.intValue(ArcaConfig.Key.EXTRACT_MAX_CHARS),
                            java.time.Duration.ofSeconds(config.longValue(ArcaConfig.Key.EXTRACT_TIMEOUT_SECONDS)),
                            config.intValue(ArcaConfig.Key.EXTRACT_HEAP_MB)),
                    new org.arca.preview.PreviewLimits(java.time.Duration.ofSeconds(config.longValue(ArcaConfig.Key.PREVIEW_TIMEOUT_SECONDS)),
                            config.intValue(ArcaConfig.Key.PREVIEW_HEAP_MB), config.longValue(ArcaConfig.Key.PREVIEW_CACHE_MB) << 20),
                    new org.arca.preview.ZipUnpack.Limits(config.intValue(ArcaConfig.Key.UNPACK_MAX_ENTRIES),
                            config.longValue(ArcaConfig.Key.UNPACK_MAX_TOTAL_MB) << 20, config.longValue(ArcaConfig.Key.UNPACK_MAX_RATIO)));
            return this;
        }

        private Path tusDir() {
            return dataDir.resolve("uploads");
        }

        RepositoryConfig repositoryConfig() {
            return RepositoryConfig.defaults(dataDir).withDatabase(dbUrl, dbUser, dbPassword).withMaxUploadBytes(maxUploadBytes)
                    .withSchemas(ArcaPlugins.SCHEMAS);
        }

        /**
         * Opens the repository with the plugins' schemas and the listeners every surface's writes must reach,
         * for serving and for command-line maintenance alike.
         */
        public Repository openRepository() {
            Repository repository = Repository.open(repositoryConfig());
            try {
                ArcaPlugins.installListeners(repository, extractionLimits);
                // gc removes resumable uploads' parts past their window, run from the command line as from the server.
                ArcaWeb.resumableUploads(tusDir()).forEach(repository.maintenance()::sweepResumable);
                repository.maintenance().sweepResumable(SftpServer.resumableUploads(dataDir, sftpPartialExpiry));
            } catch (RuntimeException e) {
                repository.close();
                throw e;
            }
            return repository;
        }

        /**
         * Opens the repository, makes the first admin if there is none, and only then starts every surface: from
         * the moment a port answers, the admin can sign in (a sign-in that failed early would count as a guess).
         */
        public Arca start() {
            Repository repository = openRepository();
            SftpServer sftp = null;
            AiRuntime ai = null;
            try {
                String generated = ensureAdmin(repository, adminPassword);
                if (generated != null) {
                    generatedPasswordShown.accept(generated);
                }
                // SFTP first, so the portal can show the port it really got and its host key.
                sftp = sftpPort == 0 ? null : SftpServer.start(repository, SftpSettings.defaults(dataDir, sftpPort)
                        .withHost(httpHost).withLimits(sftpIdleTimeout, sftpMaxSessionsPerUser, sftpPartialExpiry));
                WebConfig webConfig = new WebConfig(httpHost, httpPort, 1 << 20, secureCookies, tusDir(),
                        corsOrigins, viewerDir != null ? viewerDir : dataDir.resolve("viewer"),
                        sftp == null ? SftpInfo.DISABLED : new SftpInfo(sftp.port(), sftp.hostKeyFingerprint()))
                        .withPreviewLimits(previewLimits).withUnpackLimits(unpackLimits).withMetrics(metricsAccess)
                        .withLimits(httpLimits);
                ai = AiPlugin.install(repository, new AiSettings(dataDir.resolve("ai-work"), aiMaxHeapMb, aiMaxThreads,
                        aiMaxWallSeconds, aiMaxMemoryMb, aiSpareWorker));
                ArcaWeb web = new ArcaWeb(repository, webConfig, ai).start();
                return new Arca(repository, ai, web, sftp, generated);
            } catch (RuntimeException e) {
                if (ai != null) {
                    ai.close();
                }
                if (sftp != null) {
                    sftp.close();
                }
                repository.close();
                throw e;
            }
        }
    }

    /** Creates {@code admin} on first start; returns the password if Arca had to generate it, else null. */
    static String ensureAdmin(Repository repository, String configured) {
        Accounts accounts = repository.accounts();
        boolean hasAdmin = accounts.list(Caller.SYSTEM, null).stream().anyMatch(u -> u.roles().contains(Role.ADMIN));
        if (hasAdmin) {
            return null;
        }
        String password = configured != null ? configured : generatePassword();
        accounts.create(Caller.SYSTEM, new Accounts.NewUser(ADMIN_LOGIN, password, "admin@localhost", "Administrator", null,
                Set.of(Role.ADMIN)));
        return configured != null ? null : password;
    }

    private static String generatePassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    public Repository repository() {
        return repository;
    }

    public AiRuntime ai() {
        return ai;
    }

    public ArcaWeb web() {
        return web;
    }

    public int httpPort() {
        return web.port();
    }

    /** The SFTP server, if it was started (sftp-port not 0). */
    public java.util.Optional<SftpServer> sftp() {
        return java.util.Optional.ofNullable(sftp);
    }

    /** The first admin's password if this start generated it (shown once), else empty. */
    public java.util.Optional<String> generatedAdminPassword() {
        return java.util.Optional.ofNullable(generatedAdminPassword);
    }

    @Override
    public void close() {
        if (sftp != null) {
            sftp.close();
        }
        web.close();
        ai.close();
        repository.close();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
