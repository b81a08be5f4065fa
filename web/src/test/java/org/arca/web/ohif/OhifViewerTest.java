package org.arca.web.ohif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.web.HeadlessChromium;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.arca.web.dicom.DicomWebTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The OHIF viewer as users run it, end to end: Arca serves the installed viewer at /ohif/, a researcher signs
 * in to the portal, and the viewer (headless Chromium, WebGL through SwiftShader) lists her studies over
 * DICOMweb with her session cookie, opens them and draws pixels. Needs the unpacked viewer ({@code dist/} of
 * npm {@code @ohif/app}) named by {@code ARCA_OHIF_DIR}, and Debian's chromium and chromedriver; skipped
 * otherwise. Screenshots go to {@code target/ohif/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OhifViewerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SHOTS = Path.of("target", "ohif");

    static TestServer server;
    static ChromeDriver browser;
    static Path profile;
    static Folder trial;
    static Folder compressedFolder;
    static Folder emptyFolder;
    static final String STUDY = "1.2.826.0.1.3680043.10.1297.77.1";
    static final String COMPRESSED_STUDY = "1.2.826.0.1.3680043.10.1297.77.2";
    static final String HIDDEN_STUDY = "1.2.826.0.1.3680043.10.1297.77.3";
    static final String SEGMENTED_STUDY = "1.2.826.0.1.3680043.10.1297.77.4";

    /** Why the tests cannot run here, or null; each test is then reported skipped with this reason. */
    static String missing;

    @BeforeAll
    static void start() throws Exception {
        String dir = System.getenv("ARCA_OHIF_DIR");
        Path viewer = dir == null || dir.isBlank() ? null : Path.of(dir);
        if (viewer == null) {
            missing = "ARCA_OHIF_DIR is not set: point it at an unpacked OHIF viewer (the dist/ of npm @ohif/app 3.13.2, as "
                    + "`arca viewer install --dir DIR` or .ci/run makes it)";
        } else if (!Files.isRegularFile(viewer.resolve("index.html"))) {
            missing = "ARCA_OHIF_DIR=" + dir + " holds no index.html";
        } else if (HeadlessChromium.missing() != null) {
            missing = HeadlessChromium.missing();
        } else if (!Files.isExecutable(Path.of("/usr/bin/dcmcjpeg"))) {
            missing = "dcmcjpeg is not installed (apt-get install dcmtk): it makes the JPEG Lossless study";
        }
        if (missing != null) {
            return;
        }
        Files.createDirectories(SHOTS);

        server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withViewerDir(viewer));
        Caller alice = server.user("alice");
        Caller bob = server.user("bob");
        trial = server.repo().folders().createCollection(alice, "Phantom trial", null);
        compressedFolder = server.repo().folders().create(alice, trial.id(), "Compressed", null);
        emptyFolder = server.repo().folders().create(alice, trial.id(), "Notes", null);
        Folder bobs = server.repo().folders().createCollection(bob, "Bob's own", null);

        // A CT and MR study of three series, stored with STOW-RS as a site would.
        List<byte[]> study = new ArrayList<>();
        addSeries(study, STUDY, 1, "CT", "Phantom^Multi", "PH-001", 6);
        addSeries(study, STUDY, 2, "CT", "Phantom^Multi", "PH-001", 4);
        addSeries(study, STUDY, 3, "MR", "Phantom^Multi", "PH-001", 5);
        stow(server.as("alice"), trial.id(), study);
        // The same phantom stored JPEG Lossless (SV1), the transfer syntax most archives keep CT in.
        List<byte[]> compressed = new ArrayList<>();
        for (byte[] plain : series(COMPRESSED_STUDY, 1, "CT", "Phantom^Compressed", "PH-002", 4)) {
            compressed.add(jpegLossless(plain));
        }
        stow(server.as("alice"), compressedFolder.id(), compressed);
        // Someone else's study, which alice must not see.
        stow(server.as("bob"), bobs.id(), series(HIDDEN_STUDY, 1, "CT", "Phantom^Hidden", "PH-003", 2));
        // A CT series with a DICOM SEG an AI job made from it (the runtime's box-filter test model), stored beside it.
        stow(server.as("alice"), trial.id(), series(SEGMENTED_STUDY, 1, "CT", "Phantom^Segmented", "PH-004", 4));
        segmentationJob(alice);

        profile = Files.createTempDirectory("arca-ohif-chromium-");
        browser = HeadlessChromium.start(profile, 1400, 900);
    }

    @BeforeEach
    void needsTheViewerAndABrowser() {
        assumeTrue(missing == null, missing);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            try {
                for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                    if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                        System.out.println("[browser] " + entry.getLevel() + " " + entry.getMessage());
                    }
                }
            } finally {
                browser.quit();
            }
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theStudyListShowsWhatTheSignedInResearcherMayRead() throws IOException {
        signIn("alice");
        browser.get(server.base() + "/ohif/");
        waitFor("the study row", () -> studyRow("Phantom, Multi"));
        waitFor("the compressed study row", () -> studyRow("Phantom, Compressed"));
        shoot("study-list.png");
        assertThat(bodyText()).as("the study list").contains("Phantom PH-001", "CT\\MR").doesNotContain("Phantom, Hidden");
    }

    @Test
    @Order(2)
    void theMultiSeriesStudyOpensAndItsViewportShowsAnImage() throws IOException {
        waitFor("the study row", () -> studyRow("Phantom, Multi")).click();
        WebElement basic = waitFor("the Basic Viewer button", () -> browser.findElements(
                        By.xpath("//*[self::button or self::a or @role='button'][contains(normalize-space(.), 'Basic Viewer')]"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        shoot("study-selected.png");
        basic.click();
        waitFor("the viewer route", () -> browser.getCurrentUrl().contains("/ohif/viewer") ? true : null);
        assertNonBlankViewport("ct-mr-study.png");
        // Every series of the study is offered in the study browser.
        waitFor("three series thumbnails", () -> browser.findElements(By.cssSelector("[data-cy='series-description-label']"))
                .size() >= 3 ? true : null);
        assertThat(bodyText()).contains("MR phantom series 3");
    }

    @Test
    @Order(3)
    void aJpegLosslessStudyOpensFromAFolderLink() throws IOException {
        // Stored compressed, and handed to the viewer as stored: OHIF asks for any transfer syntax and decodes itself.
        HttpTestClient.Response frame = server.as("alice").header("Accept", "multipart/related; type=application/octet-stream; "
                + "transfer-syntax=*").get("/dicom-web/studies/" + COMPRESSED_STUDY + "/series/" + COMPRESSED_STUDY + ".1/instances/"
                + COMPRESSED_STUDY + ".1.1/frames/1");
        assertThat(frame.status()).as(frame.toString()).isEqualTo(200);
        assertThat(new String(frame.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("1.2.840.10008.1.2.4.70");
        // The portal's folder page links to the viewer scoped to that folder: study list and data from
        // /dicom-web/folders/{id} only. The parent folder holds DICOM too (in its subfolder); an empty one does not.
        browser.get(server.base() + "/#/folders/" + emptyFolder.id());
        waitFor("the empty folder's page", () -> exists("[data-testid=folder-page][data-folder-id='" + emptyFolder.id() + "']") ? true : null);
        sleep(1000);
        assertThat(browser.findElement(By.cssSelector("[data-testid=open-ohif]")).isDisplayed()).as("Open in OHIF without DICOM").isFalse();
        browser.get(server.base() + "/#/folders/" + compressedFolder.id());
        String link = waitFor("the Open in OHIF link", () -> {
            List<WebElement> found = browser.findElements(By.cssSelector("[data-testid=open-ohif]"));
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0).getDomAttribute("href") : null;
        });
        assertThat(link).isEqualTo("/ohif/folders/" + compressedFolder.id() + "/");
        browser.get(server.base() + link);
        waitFor("the compressed study row", () -> studyRow("Phantom, Compressed"));
        assertThat(bodyText()).as("a study outside the folder").doesNotContain("Phantom, Multi");
        browser.get(server.base() + "/ohif/folders/" + compressedFolder.id() + "/viewer?StudyInstanceUIDs=" + COMPRESSED_STUDY);
        assertNonBlankViewport("jpeg-lossless-study.png");
    }

    @Test
    @Order(4)
    void aSegmentationMadeByAnAiJobIsOfferedBesideItsSeriesAndOverlaysIt() throws IOException {
        browser.get(server.base() + "/ohif/viewer?StudyInstanceUIDs=" + SEGMENTED_STUDY);
        assertNonBlankViewport("segmented-study.png");
        assertThat(redPixels()).as("red pixels before the SEG is loaded").isLessThan(50);
        WebElement seg = waitFor("the SEG series thumbnail", () -> browser.findElements(
                By.cssSelector("[data-cy='series-description-label']")).stream()
                .filter(e -> e.getText().contains("AI bright-ohif 1.0")).findFirst().orElse(null));
        new org.openqa.selenium.interactions.Actions(browser).doubleClick(seg).perform();
        WebElement yes = waitFor("the offer to open the segmentation", () -> browser.findElements(
                        By.xpath("//*[self::button or @role='button'][normalize-space(.)='Yes']"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        yes.click();
        // The box filter labels the phantom's bright shell: OHIF draws it as a coloured ring over the CT.
        waitFor("the segmentation overlay", () -> redPixels() > 2000 ? true : null);
        shoot("segmented-study-overlay.png");
    }

    /**
     * Pixels of the viewport that are clearly red: the CT is grey and the viewport's frame and labels are blue, while
     * OHIF draws the first segment in red.
     */
    private static int redPixels() {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(
                    browser.findElement(By.cssSelector(".viewport-element")).getScreenshotAs(OutputType.BYTES)));
            int count = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    int r = rgb >> 16 & 0xFF;
                    int g = rgb >> 8 & 0xFF;
                    int b = rgb & 0xFF;
                    if (r - Math.max(g, b) > 40) {
                        count++;
                    }
                }
            }
            return count;
        } catch (IOException | WebDriverException e) {
            return -1;
        }
    }

    /** Everything above ran under the viewer's Content-Security-Policy; the browser reports what that policy blocked. */
    @Test
    @Order(5)
    void nothingTheViewerDidWasBlockedByItsSecurityPolicy() {
        List<String> blocked = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            System.out.println("[browser] " + entry.getLevel() + " " + entry.getMessage());
            if (entry.getMessage().contains("Content Security Policy")) {
                blocked.add(entry.getMessage());
            }
        }
        assertThat(blocked).isEmpty();
    }

    // ---- the non-blank check (FACTS.md): the centre half of the viewport, std dev > 10 and > 32 grey levels ----

    private static void assertNonBlankViewport(String name) throws IOException {
        waitFor("a viewport canvas", () -> exists(".viewport-element canvas") ? true : null);
        AtomicReference<ImageStats> lastStats = new AtomicReference<>();
        AtomicReference<byte[]> lastPng = new AtomicReference<>();
        try {
            // A WebDriverException: the viewport is re-created while the layout settles.
            Eventually.until("an image in the viewport", WAIT, WebDriverException.class, () -> {
                byte[] shot = browser.findElement(By.cssSelector(".viewport-element")).getScreenshotAs(OutputType.BYTES);
                ImageStats seen = ImageStats.ofCentreHalf(ImageIO.read(new ByteArrayInputStream(shot)));
                lastPng.set(shot);
                lastStats.set(seen);
                return seen.stdDev() > 10 && seen.greyLevels() > 32;
            });
        } catch (AssertionError blank) {
            // The checks below say what the last screenshot showed.
        }
        ImageStats stats = lastStats.get();
        byte[] png = lastPng.get();
        shoot(name);
        if (png != null) {
            Files.write(SHOTS.resolve("viewport-" + name), png);
        }
        assertThat(stats).as("viewport screenshot").isNotNull();
        assertThat(stats.stdDev()).as("brightness std dev of the viewport's centre, " + stats).isGreaterThan(10);
        assertThat(stats.greyLevels()).as("grey levels in the viewport's centre, " + stats).isGreaterThan(32);
    }

    /** Brightness spread of an image's centre half. */
    record ImageStats(double mean, double stdDev, int greyLevels) {
        static ImageStats ofCentreHalf(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            boolean[] seen = new boolean[256];
            double sum = 0;
            double squares = 0;
            int n = 0;
            for (int y = h / 4; y < h * 3 / 4; y++) {
                for (int x = w / 4; x < w * 3 / 4; x++) {
                    int rgb = image.getRGB(x, y);
                    int luma = (int) Math.round(0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff));
                    seen[luma] = true;
                    sum += luma;
                    squares += (double) luma * luma;
                    n++;
                }
            }
            int levels = 0;
            for (boolean s : seen) {
                levels += s ? 1 : 0;
            }
            double mean = n == 0 ? 0 : sum / n;
            return new ImageStats(mean, n == 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean)), levels);
        }
    }

    // ---- data ----

    private static void segmentationJob(Caller alice) {
        Caller curator = server.user("curator", org.arca.core.access.Role.CURATOR);
        byte[] zip = org.arca.ai.ModelZips.boxFilter("bright-ohif", "1.0");
        server.ai().models().submit(alice, new ByteArrayInputStream(zip), zip.length);
        server.ai().models().approve(curator, "bright-ohif", "1.0");
        org.arca.ai.Job job = server.ai().jobs().submit(alice, new org.arca.ai.JobRequest("bright-ohif", "1.0", SEGMENTED_STUDY,
                SEGMENTED_STUDY + ".1", java.util.Map.of(), trial.id()));
        job = org.arca.ai.JobWait.finished(server.ai(), alice, job.id());
        assertThat(job.status()).as(job.error() + "\n" + job.log()).isEqualTo(org.arca.ai.JobStatus.SUCCEEDED);
    }

    private static void addSeries(List<byte[]> into, String study, int number, String modality, String name, String id, int slices) {
        into.addAll(series(study, number, modality, name, id, slices));
    }

    private static List<byte[]> series(String study, int number, String modality, String name, String id, int slices) {
        List<byte[]> instances = new ArrayList<>();
        for (int slice = 0; slice < slices; slice++) {
            instances.add(new Phantom(study, study + "." + number, number, modality, name, id, slice).bytes());
        }
        return instances;
    }

    private static void stow(HttpTestClient client, String folderId, List<byte[]> instances) {
        String boundary = "ohif-e2e-boundary";
        HttpTestClient.Response response = client.send("POST", "/dicom-web/folders/" + folderId + "/studies",
                DicomWebTestSupport.multipart(boundary, instances.toArray(byte[][]::new)),
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** The instance re-encoded by DCMTK's dcmcjpeg, whose default is JPEG Lossless SV1. */
    private static byte[] jpegLossless(byte[] plain) throws IOException, InterruptedException {
        Path in = Files.createTempFile("ohif-plain-", ".dcm");
        Path out = Files.createTempFile("ohif-jpegll-", ".dcm");
        try {
            Files.write(in, plain);
            Process p = new ProcessBuilder("/usr/bin/dcmcjpeg", in.toString(), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("dcmcjpeg: " + log).isZero();
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    // ---- page helpers ----

    private static void signIn(String login) {
        browser.get(server.base() + "/#/signin");
        waitFor("sign-in form", () -> exists("[data-testid=signin-form]") ? true : null);
        type("#signin-login", login);
        type("#signin-password", TestRepository.PASSWORD);
        click("[data-testid=signin-submit]");
        waitFor("signed in", () -> {
            List<WebElement> who = browser.findElements(By.cssSelector("[data-testid=whoami]"));
            return !who.isEmpty() && login.equals(who.get(0).getText()) ? true : null;
        });
        // OHIF's first-visit tour would cover the viewport.
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('shownTours', '[\"basicViewerTour\"]');");
    }

    private static void shoot(String name) throws IOException {
        Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** The study list's row showing this patient name, or null while there is none. */
    private static WebElement studyRow(String patient) {
        return browser.findElements(By.xpath("//tr[.//*[normalize-space(text())='" + patient + "']]")).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    private static String bodyText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void click(String css) {
        waitFor("clickable " + css, () -> {
            List<WebElement> found = browser.findElements(By.cssSelector(css));
            if (found.isEmpty() || !found.get(0).isDisplayed()) {
                return null;
            }
            found.get(0).click();
            return true;
        });
    }

    private static void type(String css, String value) {
        waitFor("field " + css, () -> {
            List<WebElement> found = browser.findElements(By.cssSelector(css));
            if (found.isEmpty() || !found.get(0).isDisplayed()) {
                return null;
            }
            found.get(0).clear();
            found.get(0).sendKeys(value);
            return true;
        });
    }

    private static boolean exists(String css) {
        return !browser.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Polls until {@code probe} gives a non-null value; fails with a screenshot after {@link #WAIT}. */
    private static <T> T waitFor(String what, Supplier<T> probe) {
        try {
            return Eventually.until(what, WAIT, WebDriverException.class, probe::get);
        } catch (AssertionError failure) {
            try {
                String name = "timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-");
                shoot(name + ".png");
                Files.writeString(SHOTS.resolve(name + ".html"), browser.getPageSource());
            } catch (IOException | WebDriverException ignored) {
                // The failure below says what matters.
            }
            throw new AssertionError(failure.getMessage() + " at " + browser.getCurrentUrl(), failure);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
