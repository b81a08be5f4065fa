package org.arca.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code arca viewer install} against a registry of our own on loopback: the package's dist/ lands in the viewer
 * folder and nothing else does; a tarball that does not match its integrity, or that would write outside the
 * folder, installs nothing and leaves the viewer that was there.
 */
class ViewerInstallTest {

    @TempDir
    Path dir;
    HttpServer registry;
    final Map<String, byte[]> tarballs = new LinkedHashMap<>();
    final Map<String, String> integrities = new LinkedHashMap<>();

    @BeforeEach
    void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            int status = 200;
            if (path.startsWith("/@ohif%2fapp/")) {
                String version = path.substring("/@ohif%2fapp/".length());
                body = tarballs.containsKey(version) ? ("{\"name\":\"@ohif/app\",\"version\":\"" + version + "\",\"dist\":{\"tarball\":\""
                        + base() + "/@ohif/app/-/app-" + version + ".tgz\",\"integrity\":\"" + integrities.get(version) + "\"}}")
                        .getBytes(StandardCharsets.UTF_8) : "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
                status = tarballs.containsKey(version) ? 200 : 404;
            } else if (path.startsWith("/@ohif/app/-/app-")) {
                body = tarballs.get(path.substring("/@ohif/app/-/app-".length(), path.length() - ".tgz".length()));
            } else {
                body = new byte[0];
                status = 404;
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        registry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void installsOnlyTheDistFolderOfAVerifiedTarball() throws Exception {
        publish("9.9.1", tgz(Map.of("package/package.json", "{}", "package/dist/index.html", "<html>viewer 1</html>",
                "package/dist/assets/logo.svg", "<svg/>")));
        Path viewer = dir.resolve("data/viewer");
        Result result = launch("viewer", "install", "--version", "9.9.1", "--dir", viewer.toString(), "--registry", base());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("installed OHIF viewer 9.9.1").contains("2 files");
        assertThat(Files.readString(viewer.resolve("index.html"))).isEqualTo("<html>viewer 1</html>");
        assertThat(viewer.resolve("assets/logo.svg")).exists();
        assertThat(viewer.resolve("package.json")).doesNotExist();
        assertThat(viewer.getParent().resolve("package.json")).doesNotExist();

        // A second version replaces the first whole.
        publish("9.9.2", tgz(Map.of("package/dist/index.html", "<html>viewer 2</html>")));
        assertThat(launch("viewer", "install", "--version", "9.9.2", "--dir", viewer.toString(), "--registry", base()).code()).isZero();
        assertThat(Files.readString(viewer.resolve("index.html"))).isEqualTo("<html>viewer 2</html>");
        assertThat(viewer.resolve("assets/logo.svg")).doesNotExist();
        try (var left = Files.list(viewer.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("viewer");
        }
    }

    @Test
    void aTarballThatDoesNotMatchItsIntegrityInstallsNothing() throws Exception {
        Path viewer = installed("<html>old</html>");
        publish("9.9.3", tgz(Map.of("package/dist/index.html", "<html>tampered</html>")));
        integrities.put("9.9.3", sri("something else".getBytes(StandardCharsets.UTF_8)));
        Result result = launch("viewer", "install", "--version", "9.9.3", "--dir", viewer.toString(), "--registry", base());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("does not match the registry's integrity");
        assertThat(Files.readString(viewer.resolve("index.html"))).isEqualTo("<html>old</html>");
    }

    @Test
    void anEntryEscapingTheViewerFolderIsRefused() throws Exception {
        Path viewer = installed("<html>old</html>");
        publish("9.9.4", tgz(Map.of("package/dist/index.html", "<html>new</html>", "package/dist/../../../escaped.txt", "gotcha")));
        Result result = launch("viewer", "install", "--version", "9.9.4", "--dir", viewer.toString(), "--registry", base());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("refusing the tarball entry").contains("outside");
        assertThat(Files.readString(viewer.resolve("index.html"))).isEqualTo("<html>old</html>");
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("escaped.txt"))).isEmpty();
        }
    }

    @Test
    void anUnknownVersionSaysSo() {
        Result result = launch("viewer", "install", "--version", "0.0.0", "--dir", dir.resolve("viewer").toString(), "--registry", base());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("404").contains("0.0.0");
        assertThat(dir.resolve("viewer")).doesNotExist();
    }

    // ---- helpers ----

    Path installed(String index) throws Exception {
        publish("9.9.0", tgz(Map.of("package/dist/index.html", index)));
        Path viewer = dir.resolve("viewer");
        assertThat(launch("viewer", "install", "--version", "9.9.0", "--dir", viewer.toString(), "--registry", base()).code()).isZero();
        return viewer;
    }

    void publish(String version, byte[] tgz) throws Exception {
        tarballs.put(version, tgz);
        integrities.put(version, sri(tgz));
    }

    static String sri(byte[] bytes) throws Exception {
        return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    /** A gzipped tar of the given entries, names written as given (no normalising: the test needs "..") . */
    static byte[] tgz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    record Result(int code, String out, String err) {
    }

    static Result launch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Launcher()).setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("arca: " + e.getMessage());
            return 1;
        });
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
