package org.arca.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.web.HeadlessChromium;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A file one user shares must not act as the portal for another who opens it. Alice shares an HTML page and an
 * SVG image whose scripts try to mint an API token with the session of whoever opens them (a synchronous request,
 * so it is done before the page has loaded) and to mark the page's title. Bob, with his portal session in a real
 * Chromium, opens both inline: they render, their scripts do not run, and Bob has no token.
 */
class UserContentBrowserTest {

    private static final String ATTACK = """
            var request = new XMLHttpRequest();
            request.open('POST', '/api/v1/tokens', false);
            request.setRequestHeader('Content-Type', 'application/json');
            request.send('{"name":"stolen"}');
            document.title = 'script ran: ' + request.status;
            """;

    static TestServer server;
    static ChromeDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(HeadlessChromium.missing() == null, HeadlessChromium.missing());
        server = new TestServer(TestDatabases.Kind.H2);
        profile = Files.createTempDirectory("arca-chromium-");
        browser = HeadlessChromium.start(profile, 1024, 768);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void sharedHtmlAndSvgOpenedInlineRenderButTheirScriptsNeverRun() {
        Caller alice = server.user("alice");
        Caller bob = server.user("bob");
        Folder shared = server.repo().folders().createCollection(alice, "Shared with Bob", null);
        server.repo().access().setAcl(alice, shared.id(), List.of(new AclEntry("user:alice", AccessLevel.ADMIN),
                new AclEntry("user:bob", AccessLevel.READ)));
        String html = upload(alice, shared, "report.html", "text/html", """
                <!doctype html><html><head><title>report</title></head>
                <body><p id="text">A harmless looking report.</p><script>%s</script></body></html>
                """.formatted(ATTACK));
        String svg = upload(alice, shared, "figure.svg", "image/svg+xml", """
                <svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><title>figure</title>
                <text id="text" x="10" y="30">A harmless looking figure.</text><script>%s</script></svg>
                """.formatted(ATTACK));

        signInWithTheBrowser("bob");
        for (String item : List.of(html, svg)) {
            browser.get(server.base() + "/api/v1/items/" + item + "/content?inline=true");
            assertThat(browser.findElement(By.id("text")).getText()).as("the file is shown inline").startsWith("A harmless looking");
            assertThat(browser.getTitle()).as("the file's script ran").doesNotStartWith("script ran");
        }
        assertThat(server.repo().authentication().tokens(bob)).isEmpty();
    }

    private static String upload(Caller owner, Folder folder, String name, String mediaType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return server.repo().items().upload(owner, folder.id(), name, mediaType, new ByteArrayInputStream(bytes), bytes.length, false)
                .id();
    }

    /** Signs in as the portal does (POST /api/v1/auth/login) and gives the browser the session cookie it set. */
    private static void signInWithTheBrowser(String login) {
        HttpTestClient.Response signedIn = server.anonymous().post("/api/v1/auth/login",
                "{\"login\":" + HttpTestClient.q(login) + ",\"password\":" + HttpTestClient.q(TestRepository.PASSWORD) + "}");
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        String[] cookie = signedIn.header("Set-Cookie").split(";")[0].split("=", 2);
        browser.get(server.base() + "/");
        browser.manage().addCookie(new Cookie(cookie[0], cookie[1], "/"));
    }
}
