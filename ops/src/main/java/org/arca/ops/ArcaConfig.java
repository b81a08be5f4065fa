package org.arca.ops;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.arca.ai.AiSettings;
import org.arca.core.RepositoryConfig;
import org.arca.preview.ExtractionLimits;
import org.arca.preview.PreviewLimits;
import org.arca.preview.ZipUnpack;
import org.arca.sftp.SftpSettings;
import org.arca.web.HttpLimits;
import org.arca.web.MetricsAccess;
import org.arca.web.WebConfig;

/**
 * Arca's settings, from one file (flat {@code key: value} YAML or {@code key=value} properties) overridden by
 * {@code ARCA_*} environment variables ({@code http-port} is {@code ARCA_HTTP_PORT}). Every setting has a
 * default that works on a laptop with nothing installed. The table in the README lists them all.
 */
public final class ArcaConfig {

    /**
     * Every setting, its default and what it is for; the README's table is written from this. A module's setting
     * takes its default from the module's own constant, so Arca run from here and a module used alone agree.
     */
    public enum Key {
        DATA_DIR("data-dir", "./arca-data", "Folder for the embedded database, blobs, uploads in progress and keys"),
        HTTP_HOST("http-host", WebConfig.DEFAULT_HOST, "Address the web server listens on"),
        HTTP_PORT("http-port", Integer.toString(WebConfig.DEFAULT_PORT), "Port of the web portal, REST API and DICOMweb"),
        DB_URL("db-url", "", "JDBC URL of PostgreSQL (jdbc:postgresql://...); empty means embedded H2 in the data folder"),
        DB_USER("db-user", "", "Database user"),
        DB_PASSWORD("db-password", "", "Database password"),
        ADMIN_PASSWORD("admin-password", "", "Password of the first admin on first start; empty means generate and print one"),
        MAX_UPLOAD_BYTES("max-upload-bytes", Long.toString(RepositoryConfig.DEFAULT_MAX_UPLOAD_BYTES),
                "Largest file accepted by any upload"),
        SECURE_COOKIES("secure-cookies", "false", "Mark session cookies Secure (turn on behind TLS)"),
        CORS_ORIGINS("cors-origins", "", "Comma-separated origins whose pages may call the API and DICOMweb (a viewer elsewhere)"),
        METRICS("metrics", MetricsAccess.DEFAULT_MODE.configName(),
                "Who may read /metrics: admin (administrators, or a scraper sending metrics-token), public, or off"),
        METRICS_TOKEN("metrics-token", "", "Bearer token a Prometheus scraper sends for /metrics (at least "
                + MetricsAccess.MIN_TOKEN_LENGTH + " characters); empty means administrators only"),
        HTTP_HEADER_TIMEOUT_SECONDS("http-header-timeout-seconds", Long.toString(HttpLimits.DEFAULT_HEADER_TIMEOUT_SECONDS),
                "A connection whose request headers have not all arrived after this long is closed"),
        HTTP_MIN_BODY_BYTES_PER_SECOND("http-min-body-bytes-per-second", Long.toString(HttpLimits.DEFAULT_MIN_BODY_BYTES_PER_SECOND),
                "A request body arriving slower than this on average is refused (408); 0 turns the check off"),
        HTTP_IDLE_TIMEOUT_SECONDS("http-idle-timeout-seconds", Long.toString(HttpLimits.DEFAULT_IDLE_TIMEOUT_SECONDS),
                "A connection on which nothing arrives or leaves for this long is closed"),
        SFTP_PORT("sftp-port", Integer.toString(SftpSettings.DEFAULT_PORT), "Port of the embedded SFTP server; 0 turns it off"),
        SFTP_IDLE_TIMEOUT_SECONDS("sftp-idle-timeout-seconds", Long.toString(SftpSettings.DEFAULT_IDLE_TIMEOUT.toSeconds()),
                "An SFTP session idle this long is closed"),
        SFTP_MAX_SESSIONS_PER_USER("sftp-max-sessions-per-user", Integer.toString(SftpSettings.DEFAULT_MAX_SESSIONS_PER_USER),
                "SFTP sessions one user may hold at once"),
        SFTP_PARTIAL_UPLOAD_HOURS("sftp-partial-upload-hours", Long.toString(SftpSettings.DEFAULT_PARTIAL_EXPIRY.toHours()),
                "An interrupted SFTP upload can be resumed for this long; then its bytes are removed"),
        VIEWER_DIR("viewer-dir", "", "Folder of the OHIF viewer served at /ohif/ (arca viewer install); empty means DATA-DIR/viewer"),
        AI_MAX_HEAP_MB("ai-max-heap-mb", Integer.toString(AiSettings.DEFAULT_MAX_HEAP_MB),
                "Largest heap an AI worker JVM gets, whatever its model asks"),
        AI_MAX_THREADS("ai-max-threads", Integer.toString(AiSettings.DEFAULT_MAX_THREADS),
                "Most processors an AI worker may use"),
        AI_MAX_WALL_SECONDS("ai-max-wall-seconds", Integer.toString(AiSettings.DEFAULT_MAX_WALL_SECONDS),
                "Longest an AI job's worker may run before it is killed"),
        AI_MAX_MEMORY_MB("ai-max-memory-mb", Integer.toString(AiSettings.DEFAULT_MAX_MEMORY_MB),
                "Most private memory (Java heap and native tensors) an AI worker may use, whatever its model asks"),
        AI_SPARE_WORKER("ai-spare-worker", Boolean.toString(AiSettings.DEFAULT_SPARE_WORKER),
                "Keep one AI worker started ahead, after a first job, so the next job does not wait for it to start"),
        EXTRACT_MAX_FILE_MB("extract-max-file-mb", Long.toString(ExtractionLimits.DEFAULT_MAX_FILE_BYTES >> 20),
                "Files larger than this are not passed to text extraction"),
        EXTRACT_MAX_CHARS("extract-max-chars", Integer.toString(ExtractionLimits.DEFAULT_MAX_CHARS),
                "Extracted text is cut after this many characters"),
        EXTRACT_TIMEOUT_SECONDS("extract-timeout-seconds", Long.toString(ExtractionLimits.DEFAULT_TIMEOUT.toSeconds()),
                "Longest one text extraction may run before its worker is killed"),
        EXTRACT_HEAP_MB("extract-heap-mb", Integer.toString(ExtractionLimits.DEFAULT_HEAP_MEGABYTES),
                "Heap of a text-extraction worker JVM"),
        PREVIEW_TIMEOUT_SECONDS("preview-timeout-seconds", Long.toString(PreviewLimits.DEFAULT_TIMEOUT.toSeconds()),
                "Longest one preview (or LibreOffice conversion) may take before its process is killed"),
        PREVIEW_HEAP_MB("preview-heap-mb", Integer.toString(PreviewLimits.DEFAULT_HEAP_MEGABYTES),
                "Heap of a preview worker JVM"),
        PREVIEW_CACHE_MB("preview-cache-mb", Long.toString(PreviewLimits.DEFAULT_CACHE_BYTES >> 20),
                "Disk kept for made previews; least recently used go first"),
        UNPACK_MAX_ENTRIES("unpack-max-entries", Integer.toString(ZipUnpack.Limits.DEFAULT_MAX_ENTRIES),
                "Most entries a ZIP unpacked into the repository may hold"),
        UNPACK_MAX_TOTAL_MB("unpack-max-total-mb", Long.toString(ZipUnpack.Limits.DEFAULT_MAX_TOTAL_BYTES >> 20),
                "Most bytes a ZIP unpacked into the repository may expand to"),
        UNPACK_MAX_RATIO("unpack-max-ratio", Long.toString(ZipUnpack.Limits.DEFAULT_MAX_RATIO),
                "Highest compression ratio an entry of an unpacked ZIP may have (zip bombs go past it)");

        private final String name;
        private final String fallback;
        private final String description;

        Key(String name, String fallback, String description) {
            this.name = name;
            this.fallback = fallback;
            this.description = description;
        }

        public String fileName() {
            return name;
        }

        public String envName() {
            return "ARCA_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }

        public String fallback() {
            return fallback;
        }

        public String description() {
            return description;
        }
    }

    private final Map<Key, String> values;

    private ArcaConfig(Map<Key, String> values) {
        this.values = values;
    }

    /** Defaults, then the file (if given), then the environment. */
    public static ArcaConfig load(Path file, Map<String, String> env) {
        Map<Key, String> values = new LinkedHashMap<>();
        for (Key key : Key.values()) {
            values.put(key, key.fallback());
        }
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration file " + file, e);
            }
            for (String name : props.stringPropertyNames()) {
                Key key = byFileName(name);
                values.put(key, unquote(props.getProperty(name).strip()));
            }
        }
        for (Key key : Key.values()) {
            String value = env.get(key.envName());
            if (value != null) {
                values.put(key, value);
            }
        }
        return new ArcaConfig(values);
    }

    public String get(Key key) {
        return values.get(key);
    }

    public int intValue(Key key) {
        try {
            return Integer.parseInt(get(key).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.envName() + " must be a whole number, not '" + get(key) + "'");
        }
    }

    public long longValue(Key key) {
        try {
            return Long.parseLong(get(key).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.envName() + " must be a whole number, not '" + get(key) + "'");
        }
    }

    public Path dataDir() {
        return Path.of(get(Key.DATA_DIR));
    }

    /** Where the OHIF viewer is installed and served from. */
    public Path viewerDir() {
        String dir = get(Key.VIEWER_DIR).strip();
        return dir.isEmpty() ? dataDir().resolve("viewer") : Path.of(dir);
    }

    private static Key byFileName(String name) {
        for (Key key : Key.values()) {
            if (key.fileName().equals(name)) {
                return key;
            }
        }
        throw new IllegalArgumentException("unknown setting '" + name + "' in the configuration file");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
