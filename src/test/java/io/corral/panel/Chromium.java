package io.corral.panel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The browser tests' headless Chromium (Debian's, with its chromedriver) and their screenshots, in target/screenshots for a person to look at. */
final class Chromium {
    static final Path SHOTS = Path.of("target/screenshots");

    private Chromium() {
    }

    /** A browser in English and the machine's time zone, whatever the machine's locale: most tests read the pages' English. */
    static WebDriver start() throws Exception {
        return start("en-US", null);
    }

    /** A browser set to a language (its Accept-Language) and, unless null, a time zone (an IANA name). */
    static WebDriver start(String language, String zone) throws Exception {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--lang=" + language, "--user-data-dir=" + Files.createTempDirectory("corral-chromium"));
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService.Builder driver = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile());
        if (zone != null) {
            driver.withEnvironment(java.util.Map.of("TZ", zone));
        }
        WebDriver browser = new ChromeDriver(driver.build(), options);
        browser.manage().window().setSize(new Dimension(1280, 860));
        return browser;
    }

    /** Opens the page at url and signs in on Keycloak's form as that test user (password: the user's name + "-password"). */
    static void signIn(WebDriver browser, String url, String user) {
        browser.get(url);
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user + "-password");
        browser.findElement(By.id("kc-login")).click();
    }

    static void shot(WebDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
