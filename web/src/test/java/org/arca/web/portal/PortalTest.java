package org.arca.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.arca.core.Eventually;
import org.arca.core.TestDatabases;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.web.HeadlessChromium;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The portal end to end: a real Arca server and Debian's headless Chromium, driven the way a researcher
 * would use the pages. The steps build on each other (one browser, one server), so they run in order.
 * Skipped, not failed, where Chromium or its driver is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PASSWORD = org.arca.core.TestRepository.PASSWORD;

    static TestServer server;
    static ChromeDriver browser;
    static Path profile;
    static Path files;

    // What the steps build, for the later steps.
    static String collectionId;
    static String sharedFolderId;
    static byte[] report = "Visit 1: baseline MRI, no findings.\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(HeadlessChromium.missing() == null, HeadlessChromium.missing());
        server = new TestServer(TestDatabases.Kind.H2, c -> c,
                w -> w.withSftp(new org.arca.web.SftpInfo(2222, "SHA256:portalTestHostKeyFingerprint")));
        server.user("alice");
        server.user("bob");
        server.user("root", Role.ADMIN);
        profile = Files.createTempDirectory("arca-chromium-");
        files = Files.createTempDirectory("arca-portal-files-");

        browser = HeadlessChromium.start(profile, 1360, 900);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            try {
                for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                    System.out.println("[browser] " + entry.getLevel() + " " + entry.getMessage());
                }
            } finally {
                browser.quit();
            }
        }
        if (server != null) {
            server.close();
        }
        deleteTree(profile);
        deleteTree(files);
    }

    @Test
    @Order(1)
    void aResearcherSignsInAndBuildsACollection() {
        open("/#/folders/nowhere");
        signIn("alice", "wrong password");
        assertThat(waitFor("sign-in error", () -> visibleText("[data-testid=signin-error]"))).isNotBlank();
        signIn("alice", PASSWORD);
        assertThat(waitFor("who am I", () -> visibleText("[data-testid=whoami]"))).isEqualTo("alice");
        // Signing in leads back to the page asked for first; that folder does not exist.
        assertThat(text("[data-testid=page-error]")).contains("does not exist");
        click("[data-testid=nav-home]");
        assertThat(text("[data-testid=collection-list-empty]")).contains("cannot open any collection");

        click("[data-testid=new-collection]");
        type("#collection-name", "Cardiac MRI <trial>");
        type("#collection-description", "Multi-site cardiac imaging study");
        click("[data-testid=collection-dialog] [data-testid=dialog-submit]");
        waitForTitle("Cardiac MRI <trial>");
        collectionId = attr("[data-testid=folder-page]", "data-folder-id");
        assertThat(text("[data-testid=folder-empty]")).contains("empty");

        createFolder("Site Lyon");
        createFolder("Site Paris");
        assertThat(rowNames()).containsExactly("Site Lyon", "Site Paris");

        click("tr[data-name='Site Lyon'] [data-testid=row-open]");
        waitForTitle("Site Lyon");
        sharedFolderId = attr("[data-testid=folder-page]", "data-folder-id");
        assertThat(texts("[data-testid=breadcrumbs] li")).containsExactly("Collections", "Cardiac MRI <trial>", "Site Lyon");
    }

    @Test
    @Order(2)
    void aSmallFileGoesUpThroughTheFilePicker() throws IOException {
        Path file = files.resolve("report.txt");
        Files.write(file, report);
        browser.findElement(By.cssSelector("[data-testid=file-input]")).sendKeys(file.toString());
        waitFor("upload done", () -> exists("[data-testid=upload-row][data-name='report.txt'][data-state=done]") ? true : null);
        assertThat(attr("[data-testid=upload-row][data-name='report.txt']", "data-mode")).isEqualTo("simple");
        waitFor("row for report.txt", () -> exists("tr[data-kind=item][data-name='report.txt']") ? true : null);
        assertThat(text("tr[data-name='report.txt'] [data-testid=row-size]")).isEqualTo(report.length + " bytes");

        String itemId = attr("tr[data-name='report.txt']", "data-id");
        assertThat(server.as("alice").get("/api/v1/items/" + itemId + "/content").body()).isEqualTo(report);

        // WebDriver cannot drag a file from the desktop; a drop event carrying a file is what the page receives.
        js("""
                const transfer = new DataTransfer();
                transfer.items.add(new File(['dropped notes'], 'dropped-notes.txt', {type: 'text/plain'}));
                document.querySelector('[data-testid=dropzone]')
                    .dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
                """);
        waitFor("dropped file uploaded", () -> exists("[data-testid=upload-row][data-name='dropped-notes.txt'][data-state=done]") ? true : null);
        waitFor("row for dropped file", () -> exists("tr[data-name='dropped-notes.txt']") ? true : null);
        assertThat(server.as("alice").get("/api/v1/items/" + attr("tr[data-name='dropped-notes.txt']", "data-id") + "/content").text())
                .isEqualTo("dropped notes");
    }

    @Test
    @Order(3)
    void largeFilesUseTusAndResumeWhereTheyStopped() throws IOException {
        // Lower the threshold and the part size so a small file takes the resumable path in several PATCHes.
        js("localStorage.setItem('arca.tusThreshold', '100000'); localStorage.setItem('arca.tusChunk', '65536');");
        byte[] scan = randomBytes(300_000, 1);
        Path scanFile = files.resolve("scan.bin");
        Files.write(scanFile, scan);
        browser.findElement(By.cssSelector("[data-testid=file-input]")).sendKeys(scanFile.toString());
        waitFor("tus upload done", () -> exists("[data-testid=upload-row][data-name='scan.bin'][data-state=done]") ? true : null);
        assertThat(attr("[data-testid=upload-row][data-name='scan.bin']", "data-mode")).isEqualTo("resumable");
        waitFor("row for scan.bin", () -> exists("tr[data-name='scan.bin']") ? true : null);
        assertThat(server.as("alice").get("/api/v1/items/" + attr("tr[data-name='scan.bin']", "data-id") + "/content").body())
                .isEqualTo(scan);

        // An upload that an earlier page started and lost after 128 KiB: the page finds it and sends only the rest.
        byte[] series = randomBytes(250_000, 2);
        Path seriesFile = files.resolve("series.bin");
        Files.write(seriesFile, series);
        long lastModified = Files.getLastModifiedTime(seriesFile).toMillis();
        HttpTestClient.Response created = server.as("alice").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(series.length))
                .header("Upload-Metadata", "folderId " + b64(sharedFolderId) + ",filename " + b64("series.bin"))
                .send("POST", "/api/v1/uploads", null, null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String uploadPath = java.net.URI.create(server.base()).resolve(created.header("Location")).getPath();
        HttpTestClient.Response firstPart = server.as("alice").header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .send("PATCH", uploadPath, java.util.Arrays.copyOf(series, 131_072), "application/offset+octet-stream");
        assertThat(firstPart.status()).as(firstPart.toString()).isEqualTo(204);
        String key = "arca.tus:" + sharedFolderId + ":series.bin:" + series.length + ":" + lastModified;
        js("localStorage.setItem(arguments[0], arguments[1]);", key, uploadPath);

        browser.findElement(By.cssSelector("[data-testid=file-input]")).sendKeys(seriesFile.toString());
        waitFor("resumed upload done", () -> exists("[data-testid=upload-row][data-name='series.bin'][data-state=done]") ? true : null);
        assertThat(attr("[data-testid=upload-row][data-name='series.bin']", "data-resumed-from")).isEqualTo("131072");
        assertThat(js("return localStorage.getItem(arguments[0]);", key)).isNull();
        waitFor("row for series.bin", () -> exists("tr[data-name='series.bin']") ? true : null);
        assertThat(server.as("alice").get("/api/v1/items/" + attr("tr[data-name='series.bin']", "data-id") + "/content").body())
                .isEqualTo(series);
        js("localStorage.removeItem('arca.tusThreshold'); localStorage.removeItem('arca.tusChunk');");
    }

    @Test
    @Order(4)
    void theFolderIsDescribedAndSharedWithAColleague() throws IOException {
        click("[data-testid=folder-metadata]");
        waitFor("metadata dialog", () -> exists("[data-testid=metadata-dialog][open]") ? true : null);
        click("[data-testid=metadata-add]");
        type("[data-testid=metadata-dialog] [data-testid=metadata-key]", "modality");
        type("[data-testid=metadata-dialog] input[data-testid=metadata-value]", "MR");
        click("[data-testid=metadata-dialog] [data-testid=dialog-submit]");
        waitFor("metadata dialog closed", () -> exists("[data-testid=metadata-dialog]") ? null : true);
        assertThat(server.as("alice").get("/api/v1/folders/" + sharedFolderId + "/metadata").json().at("/modality/value").asText())
                .isEqualTo("MR");

        screenshot("portal-folder.png");

        click("[data-testid=share]");
        waitFor("share dialog", () -> exists("[data-testid=share-dialog][open]") ? true : null);
        assertThat(text("[data-testid=acl-inherited]")).contains("User alice").contains("Cardiac MRI <trial>");
        click("[data-testid=acl-add]");
        type("[data-testid=acl-row]:last-child [data-testid=acl-name]", "bob");
        screenshot("portal-share.png");
        click("[data-testid=share-dialog] [data-testid=dialog-submit]");
        waitFor("share dialog closed", () -> exists("[data-testid=share-dialog]") ? null : true);
        waitFor("saved notice", () -> texts("[data-testid=notice-success]").stream()
                .anyMatch(t -> t.contains("Sharing of “Site Lyon” saved")) ? true : null);

        JsonNode acl = server.as("alice").get("/api/v1/folders/" + sharedFolderId + "/acl").json();
        assertThat(acl.at("/entries/0/principal").asText()).isEqualTo("user:bob");
        assertThat(acl.at("/entries/0/level").asText()).isEqualTo("READ");
    }

    @Test
    @Order(5)
    void aBigFolderIsShownAPageAtATime() {
        HttpTestClient alice = server.as("alice");
        String paris = null;
        for (JsonNode f : alice.get("/api/v1/folders/" + collectionId + "/children").json().get("folders")) {
            if (f.get("name").asText().equals("Site Paris")) {
                paris = f.get("id").asText();
            }
        }
        assertThat(paris).isNotNull();
        for (int i = 1; i <= 53; i++) {
            alice.putBytes("/api/v1/folders/" + paris + "/files/" + String.format("slice-%03d.dcm", i), new byte[] {(byte) i}, null);
        }
        open("/#/folders/" + paris);
        waitForTitle("Site Paris");
        assertThat(text("[data-testid=page-status]")).startsWith("1–50 of 53");
        assertThat(rowNames()).hasSize(50).startsWith("slice-001.dcm");
        click("[data-testid=page-next]");
        waitFor("second page", () -> rowNames().equals(List.of("slice-051.dcm", "slice-052.dcm", "slice-053.dcm")) ? true : null);
        assertThat(text("[data-testid=page-status]")).startsWith("51–53 of 53");
        click("[data-testid=page-prev]");
        waitFor("first page again", () -> rowNames().size() == 50 ? true : null);

        // A real DICOM instance shows its first frame and a tag table in the preview.
        byte[] dicom = new org.arca.web.dicom.SyntheticInstance("1.2.826.0.1.3680043.10.8", "1.2.826.0.1.3680043.10.8.1",
                "1.2.826.0.1.3680043.10.8.1.1", "Preview^Patient", "PAT-PREVIEW", "20260701", "CT", 1).bytes();
        alice.putBytes("/api/v1/folders/" + paris + "/files/aa-preview.dcm", dicom, "application/dicom");
        browser.navigate().refresh();
        waitForTitle("Site Paris");
        waitFor("preview row", () -> exists("tr[data-name='aa-preview.dcm'] [data-testid=row-dicom]") ? true : null);
        click("tr[data-name='aa-preview.dcm'] [data-testid=row-dicom]");
        waitFor("DICOM dialog", () -> exists("[data-testid=dicom-dialog][open]") ? true : null);
        waitFor("PatientID row", () -> texts("[data-testid=dicom-keyword]").contains("PatientID") ? true : null);
        int patientRow = texts("[data-testid=dicom-keyword]").indexOf("PatientID");
        assertThat(texts("[data-testid=dicom-value]").get(patientRow)).isEqualTo("PAT-PREVIEW");
        // "Run model" on the instance's series leads to the AI page's run form with both UIDs filled in.
        assertThat(attr("[data-testid=dicom-run-model]", "href"))
                .endsWith("#/ai?study=1.2.826.0.1.3680043.10.8&series=1.2.826.0.1.3680043.10.8.1");
        waitFor("rendered image", () -> Boolean.TRUE.equals(js(
                "const img = document.querySelector('[data-testid=dicom-image]'); return !!img && img.complete && img.naturalWidth > 0;"))
                ? true : null);
        click("[data-testid=dicom-dialog] [data-testid=dialog-submit]");
        waitFor("dialog closed", () -> exists("[data-testid=dicom-dialog]") ? null : true);

        // Search can answer studies instead of files: the instance's study, opened in the viewer.
        open("/#/search?q=" + java.net.URLEncoder.encode("patientid:PAT-PREVIEW", StandardCharsets.UTF_8));
        waitFor("file hit", () -> texts("[data-testid=hit-name]").equals(List.of("aa-preview.dcm")) ? true : null);
        click("[data-testid=group-study]");
        waitFor("study hit", () -> "1 study".equals(visibleText("[data-testid=search-total]")) ? true : null);
        assertThat(texts("[data-testid=hit-name]")).containsExactly("Synthetic CT");
        assertThat(text("[data-testid=hit-details]")).isEqualTo("CT, patient PAT-PREVIEW, 1 matching instance");
        assertThat(attr("[data-testid=hit-name]", "href")).endsWith("/ohif/viewer?StudyInstanceUIDs=1.2.826.0.1.3680043.10.8");
        assertThat(texts("[data-testid=hit-path]")).containsExactly("Cardiac MRI <trial>/Site Paris");
    }

    @Test
    @Order(6)
    void theColleagueSeesExactlyWhatWasSharedAndDownloadsIt() {
        signOut();
        signIn("bob", PASSWORD);
        assertThat(waitFor("who am I", () -> visibleText("[data-testid=whoami]"))).isEqualTo("bob");
        assertThat(text("[data-testid=collection-list-empty]")).isNotBlank();
        assertThat(texts("[data-testid=shared-list] [data-testid=folder-link]")).containsExactly("Site Lyon");

        click("[data-testid=shared-list] [data-testid=folder-link]");
        waitForTitle("Site Lyon");
        waitFor("rows", () -> exists("tr[data-name='report.txt']") ? true : null);
        assertThat(rowNames()).containsExactly("dropped-notes.txt", "report.txt", "scan.bin", "series.bin");
        assertThat(texts("[data-testid=breadcrumbs] li")).containsExactly("Collections", "Site Lyon");
        assertThat(text("[data-testid=access-badge]")).isEqualTo("Can view");
        assertThat(browser.findElements(By.cssSelector("[data-testid=dropzone], [data-testid=new-folder], [data-testid=share], [data-testid=row-delete]")))
                .isEmpty();

        String href = attr("tr[data-name='report.txt'] [data-testid=row-download]", "href");
        String path = java.net.URI.create(href).getPath();
        assertThat(server.as("bob").get(path).body()).isEqualTo(report);
        Object fetched = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));",
                href);
        assertThat(fetched).isEqualTo(new String(report, StandardCharsets.UTF_8));

        open("/#/folders/" + collectionId);
        assertThat(waitFor("not found", () -> visibleText("[data-testid=page-error]"))).isNotBlank();
        assertThat(browser.findElements(By.cssSelector("tr[data-name='Site Paris']"))).isEmpty();
    }

    @Test
    @Order(7)
    void theColleagueSearchesFromTheHeaderAndPreviewsAHit() {
        type("[data-testid=top-search]", "report");
        first("[data-testid=top-search]").sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor("hits", () -> exists("[data-testid=hit]") ? true : null);
        assertThat(texts("[data-testid=hit-name]")).containsExactly("report.txt");
        assertThat(texts("[data-testid=hit-path]")).containsExactly("Site Lyon");
        assertThat(text("[data-testid=search-total]")).isEqualTo("1 result");
        assertThat(texts("[data-testid=facet-type] [data-testid=facet-value]")).containsExactly("text (1)");
        click("[data-testid=hit-name]");
        assertThat(text("[data-testid=preview-text]")).isEqualTo(new String(report, StandardCharsets.UTF_8).strip());
        click("[data-testid=preview-dialog] [data-testid=dialog-submit]");
        // What bob may not read stays out of the results and the counts.
        type("[data-testid=search-input]", "Paris");
        click("[data-testid=search-submit]");
        waitFor("no results", () -> "0 results".equals(visibleText("[data-testid=search-total]")) ? true : null);
    }

    @Test
    @Order(8)
    void aNewcomerRegistersAndAnAdministratorApproves() throws IOException {
        signOut();
        signIn("root", PASSWORD);
        waitFor("admin nav", () -> exists("[data-testid=nav-admin]") ? true : null);
        click("[data-testid=nav-admin]");
        waitFor("users tab", () -> exists("[data-testid=user-table]") ? true : null);
        click("[data-testid=tab-sites]");
        waitFor("sites tab", () -> exists("[data-testid=create-site-form]") ? true : null);
        type("#new-site-name", "Lyon University Hospital");
        click("[data-testid=create-site-submit]");
        String code = waitFor("site code", () -> visibleText("tr[data-name='Lyon University Hospital'] [data-testid=site-code]"));
        assertThat(code).isNotBlank();

        signOut();
        click("[data-testid=to-register]");
        waitFor("register form", () -> exists("[data-testid=register-form]") ? true : null);
        type("#register-login", "dana");
        type("#register-name", "Dana Research");
        type("#register-email", "dana@example.org");
        type("#register-password", "dana's long password");
        type("#register-site-code", code);
        click("[data-testid=register-submit]");
        assertThat(waitFor("pending message", () -> visibleText("[data-testid=register-pending]"))).contains("waiting for an administrator");

        open("/#/signin");
        signIn("dana", "dana's long password");
        assertThat(waitFor("pending refusal", () -> visibleText("[data-testid=signin-error]"))).isNotBlank();

        signIn("root", PASSWORD);
        waitFor("admin nav", () -> exists("[data-testid=nav-admin]") ? true : null);
        open("/#/admin/registrations");
        waitFor("pending row", () -> exists("tr[data-testid=pending-row][data-login=dana]") ? true : null);
        assertThat(text("tr[data-login=dana]")).contains("Dana Research").contains("Lyon University Hospital");
        screenshot("portal-admin.png");
        click("tr[data-login=dana] [data-testid=pending-approve]");
        waitFor("no more pending", () -> exists("[data-testid=pending-empty]") ? true : null);
        click("[data-testid=tab-groups]");
        type("#new-group-name", "cardiology");
        click("[data-testid=create-group-submit]");
        type("[data-testid=group-card][data-name=cardiology] [data-testid=member-login]", "dana");
        click("[data-testid=group-card][data-name=cardiology] [data-testid=member-add]");
        waitFor("dana in cardiology", () -> exists("[data-testid=group-card][data-name=cardiology] [data-testid=member][data-login=dana]") ? true : null);

        click("[data-testid=tab-users]");
        assertThat(waitFor("dana active", () -> visibleText("tr[data-login=dana] [data-testid=user-status]"))).isEqualTo("active");

        signOut();
        signIn("dana", "dana's long password");
        assertThat(waitFor("who am I", () -> visibleText("[data-testid=whoami]"))).isEqualTo("Dana Research");
        screenshot("portal-home.png");
    }

    @Test
    @Order(9)
    void aUserManagesTheirTokensAndPassword() throws IOException {
        click("[data-testid=nav-account]");
        waitFor("account page", () -> exists("[data-testid=token-form]") ? true : null);
        type("#token-name", "nightly sync");
        type("#token-days", "30");
        click("[data-testid=token-create]");
        String secret = waitFor("token secret", () -> visibleText("[data-testid=token-secret]"));
        assertThat(new HttpTestClient(server.base()).bearer(secret).get("/api/v1/users/me").json().get("login").asText())
                .isEqualTo("dana");
        waitFor("token row", () -> exists("tr[data-testid=token-row][data-name='nightly sync'][data-state=active]") ? true : null);
        screenshot("portal-account.png");

        assertThat(visibleText("[data-testid=sftp-fingerprint]")).isEqualTo("SHA256:portalTestHostKeyFingerprint");
        assertThat(visibleText("[data-testid=sftp-command]")).isEqualTo("sftp -P 2222 dana@127.0.0.1");
        type("#key-text", "not a key");
        click("[data-testid=key-add]");
        assertThat(waitFor("bad key", () -> visibleText("[data-testid=key-error]"))).contains("not a public key");
        type("#key-text", org.arca.web.TestKeys.newLine());
        type("#key-name", "lab workstation");
        click("[data-testid=key-add]");
        waitFor("key row", () -> exists("tr[data-testid=key-row][data-name='lab workstation']") ? true : null);
        assertThat(server.repo().publicKeys().list(server.repo().authentication().password("dana", "dana's long password")))
                .extracting(k -> k.name()).containsExactly("lab workstation");
        click("tr[data-name='lab workstation'] [data-testid=key-remove]");
        click("[data-testid=confirm-dialog] [data-testid=dialog-submit]");
        waitFor("no keys", () -> exists("[data-testid=keys-empty]") ? true : null);

        click("tr[data-name='nightly sync'] [data-testid=token-revoke]");
        click("[data-testid=confirm-dialog] [data-testid=dialog-submit]");
        waitFor("token revoked", () -> exists("tr[data-testid=token-row][data-name='nightly sync'][data-state=revoked]") ? true : null);
        assertThat(new HttpTestClient(server.base()).bearer(secret).get("/api/v1/users/me").status()).isEqualTo(401);

        type("#pw-current", "not my password");
        type("#pw-new", "a brand new passphrase");
        type("#pw-repeat", "a brand new passphrase");
        click("[data-testid=password-submit]");
        assertThat(waitFor("wrong current password", () -> visibleText("[data-testid=password-error]"))).contains("current password is wrong");
        type("#pw-current", "dana's long password");
        type("#pw-new", "a brand new passphrase");
        type("#pw-repeat", "a brand new passphrase");
        click("[data-testid=password-submit]");
        waitFor("password changed", () -> texts("[data-testid=notice-success]").stream()
                .anyMatch(t -> t.contains("password was changed")) ? true : null);
        assertThat(new HttpTestClient(server.base()).basic("dana", "a brand new passphrase").get("/api/v1/users/me").status())
                .isEqualTo(200);
    }

    @Test
    @Order(10)
    void aCuratorApprovesASubmittedModelAndItCanBeRun() throws Exception {
        byte[] zip = org.arca.ai.ModelZips.boxFilter("bright-portal", "1.0");
        server.ai().models().submit(server.repo().authentication().password("alice", PASSWORD),
                new java.io.ByteArrayInputStream(zip), zip.length);
        signOut();
        signIn("root", PASSWORD);
        // The curator hears of the submission in the top bar.
        assertThat(waitFor("unread badge", () -> visibleText("[data-testid=unread-badge]"))).isEqualTo("1");
        waitFor("AI nav", () -> exists("[data-testid=nav-ai]") ? true : null);
        click("[data-testid=nav-ai]");
        waitFor("curator queue", () -> exists("[data-testid=review-bright-portal]") ? true : null);
        click("[data-testid=review-bright-portal] [data-testid=approve]");
        waitFor("approved", () -> text("[data-testid=model-catalogue]").contains("APPROVED") ? true : null);
        assertThat(text("[data-testid=curator-queue]")).contains("Nothing to review");
        assertThat(text("[data-testid=run-model]")).contains("bright-portal 1.0");
        // The DICOM preview's "Run a model on this series" link fills the run form in.
        open("/#/ai?study=1.2.826.0.1.3680043.10.8&series=1.2.826.0.1.3680043.10.8.1");
        // The page already shows an empty form: wait for the one drawn from the new address.
        waitFor("filled run form", () -> "1.2.826.0.1.3680043.10.8".equals(attr("[data-testid=run-model] input[name=study]", "value"))
                ? true : null);
        assertThat(attr("[data-testid=run-model] input[name=series]", "value")).isEqualTo("1.2.826.0.1.3680043.10.8.1");

        // The submitter is told, reads it, and marks it read.
        signOut();
        signIn("alice", PASSWORD);
        assertThat(waitFor("unread badge", () -> visibleText("[data-testid=unread-badge]"))).isEqualTo("1");
        click("[data-testid=nav-notifications]");
        waitFor("notification list", () -> exists("[data-testid=notification]") ? true : null);
        assertThat(texts("[data-testid=notification]")).anyMatch(t -> t.contains("Your model bright-portal 1.0 was approved by root."));
        screenshot("portal-notifications.png");
        click("[data-testid=mark-all-read]");
        waitFor("all read", () -> text("[data-testid=unread-count]").contains("Nothing unread") ? true : null);
        assertThat(first("[data-testid=unread-badge]").isDisplayed()).isFalse();

        // Alice runs it from the form on the instance she previewed; its segmentation opens over the study in OHIF.
        open("/#/ai?study=1.2.826.0.1.3680043.10.8&series=1.2.826.0.1.3680043.10.8.1");
        waitFor("filled run form", () -> "1.2.826.0.1.3680043.10.8".equals(attr("[data-testid=run-model] input[name=study]", "value"))
                ? true : null);
        click("[data-testid=run-model] button[type=submit]");
        Caller alice = server.repo().authentication().password("alice", PASSWORD);
        awaitJobs(alice, 1);
        reload(); // the page shows the job as it was when it was queued
        waitFor("segmentation result", () -> exists("[data-testid=job-list] [data-testid=job-open-ohif]") ? true : null);
        assertThat(attr("[data-testid=job-open-ohif]", "href")).endsWith("/ohif/viewer?StudyInstanceUIDs=1.2.826.0.1.3680043.10.8");

        // A model of class scores: its numbers show as a table in the job list.
        byte[] scores = org.arca.ai.ModelZips.zip(org.arca.ai.ModelZips.boxFilterManifest("share-portal", "1.0", "CT", 60).replace(
                "\"kind\": \"labelmap\", \"threshold\": 0.5, \"labels\": [\"bright\"]",
                "\"kind\": \"scores\", \"activation\": \"softmax\", \"labels\": [\"bright\", \"dark\"]"),
                org.arca.ai.OnnxGraphs.meanScores());
        server.ai().models().submit(alice, new java.io.ByteArrayInputStream(scores), scores.length);
        server.ai().models().approve(server.repo().authentication().password("root", PASSWORD), "share-portal", "1.0");
        server.ai().jobs().submit(alice, new org.arca.ai.JobRequest("share-portal", "1.0", "1.2.826.0.1.3680043.10.8",
                "1.2.826.0.1.3680043.10.8.1", java.util.Map.of(), null));
        awaitJobs(alice, 2);
        reload();
        waitFor("scores result", () -> exists("[data-testid=job-list] [data-testid=job-scores]") ? true : null);
        click("[data-testid=job-scores] summary");
        waitFor("scores table", () -> exists("[data-testid=job-scores-table] tbody tr") ? true : null);
        List<String> headings = texts("[data-testid=job-scores-table] th");
        // Headings are shown in capitals by the style sheet.
        assertThat(headings).map(t -> t.toLowerCase(java.util.Locale.ROOT)).containsExactly("instance", "frame", "bright", "dark", "best");
        List<String> cells = texts("[data-testid=job-scores-table] tbody td");
        assertThat(cells.get(0)).isEqualTo("1.2.826.0.1.3680043.10.8.1.1");
        assertThat(Double.parseDouble(cells.get(2)) + Double.parseDouble(cells.get(3))).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(0.002));
        assertThat(cells.get(4)).isIn("bright", "dark");
    }

    // ---- page helpers ----

    /** Waits until the user has {@code count} jobs and all have ended, and requires that they succeeded. */
    private static void awaitJobs(Caller caller, int count) {
        List<org.arca.ai.Job> jobs = Eventually.until(count + " ended jobs of " + caller.login(), () -> {
            List<org.arca.ai.Job> now = server.ai().jobs().list(caller);
            return now.size() >= count && now.stream().allMatch(j -> j.finishedAt() != null) ? now : null;
        });
        assertThat(jobs).allSatisfy(j -> assertThat(j.status()).as(j.error() + "\n" + j.log())
                .isEqualTo(org.arca.ai.JobStatus.SUCCEEDED));
    }

    private static void reload() {
        browser.navigate().refresh();
        waitFor("portal ready", () -> "true".equals(js("return document.documentElement.dataset.ready;")) ? true : null);
    }

    private static void open(String path) {
        browser.get(server.base() + path);
        waitFor("portal ready", () -> "true".equals(js("return document.documentElement.dataset.ready;")) ? true : null);
    }

    private static void signIn(String login, String password) {
        if (!exists("[data-testid=signin-form]")) {
            open("/#/signin");
        }
        waitFor("sign-in form", () -> exists("[data-testid=signin-form]") ? true : null);
        type("#signin-login", login);
        type("#signin-password", password);
        click("[data-testid=signin-submit]");
    }

    private static void signOut() {
        click("[data-testid=sign-out]");
        waitFor("signed out", () -> exists("[data-testid=signin-form]") ? true : null);
    }

    private static void createFolder(String name) {
        click("[data-testid=new-folder]");
        type("#folder-name", name);
        click("[data-testid=folder-dialog] [data-testid=dialog-submit]");
        waitFor("folder " + name, () -> exists("tr[data-kind=folder][data-name='" + name + "']") ? true : null);
    }

    private static void waitForTitle(String prefix) {
        waitFor("folder titled " + prefix, () -> {
            String title = visibleText("[data-testid=folder-title]");
            return title != null && title.startsWith(prefix) ? true : null;
        });
    }

    private static List<String> rowNames() {
        return browser.findElements(By.cssSelector("[data-testid=children] tr[data-testid=row]")).stream()
                .map(e -> e.getDomAttribute("data-name")).toList();
    }

    private static void click(String css) {
        waitFor("clickable " + css, () -> {
            WebElement e = first(css);
            if (e == null || !e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            e.click();
            return true;
        });
    }

    private static void type(String css, String value) {
        waitFor("field " + css, () -> {
            WebElement e = first(css);
            if (e == null || !e.isDisplayed()) {
                return null;
            }
            e.clear();
            e.sendKeys(value);
            return true;
        });
    }

    private static String text(String css) {
        return waitFor("text of " + css, () -> visibleText(css));
    }

    private static List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static String attr(String css, String name) {
        return waitFor(name + " of " + css, () -> {
            WebElement e = first(css);
            return e == null ? null : e.getDomAttribute(name);
        });
    }

    /** The element's visible text, or null while it is absent or hidden. */
    private static String visibleText(String css) {
        WebElement e = first(css);
        return e != null && e.isDisplayed() ? e.getText() : null;
    }

    private static boolean exists(String css) {
        return !browser.findElements(By.cssSelector(css)).isEmpty();
    }

    private static WebElement first(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Polls until the condition yields a value (not null), re-trying past elements the page replaced meanwhile. */
    private static <T> T waitFor(String what, Supplier<T> condition) {
        try {
            return Eventually.until(what, WAIT, WebDriverException.class, condition::get);
        } catch (AssertionError failure) {
            List<String> notices = texts("[data-testid^=notice], .form-error:not([hidden])");
            throw new AssertionError(failure.getMessage() + " on " + browser.getCurrentUrl() + "; messages on the page: "
                    + notices, failure);
        }
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
