package org.arca.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium driven by Debian's chromedriver, as the browser tests use it: given explicitly, so
 * Selenium Manager never looks for (or downloads) a browser, with the flags this closed network needs.
 */
public final class HeadlessChromium {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Why the browser cannot run here, or null when it can. */
    public static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return "Chromium is not installed at " + CHROMIUM + " (apt-get install chromium)";
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            return "chromedriver is not installed at " + CHROMEDRIVER + " (apt-get install chromium-driver)";
        }
        return null;
    }

    /** A new browser with its own empty profile folder and the page's console kept for the test's log. */
    public static ChromeDriver start(Path profile, int width, int height) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }
}
