package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer in headless Chromium: orders a server, watches it come up, stops and destroys it.
 * Screenshots land in target/screenshots for a person to look at.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CustomerBrowserTest extends WithRealAgent {
    static final Path SHOTS = Path.of("target/screenshots");
    static WebDriver browser;

    @TestHTTPResource("/")
    URL panel;

    @BeforeAll
    static void startBrowser() throws Exception {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory("corral-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(), options);
        browser.manage().window().setSize(new Dimension(1280, 860));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aCustomerOrdersWatchesStopsAndDestroysAServer() throws Exception {
        setUpAsAdmin();
        String base = panel.toString();
        browser.get(base + "servers");
        assertTrue(browser.getCurrentUrl().startsWith(TestKeycloak.get().realmUrl()), "signed-out visitors are sent to Keycloak to sign in");
        browser.findElement(By.id("username")).sendKeys("cleo");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("kc-login")).click();
        assertTrue(browser.getPageSource().contains("Invalid username or password"), "Keycloak says the password is wrong");
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("username")).sendKeys("cleo");
        browser.findElement(By.id("password")).sendKeys("cleo-password");
        shot("0-sign-in");
        browser.findElement(By.id("kc-login")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(".*/servers$"));
        assertTrue(browser.findElement(By.cssSelector(".empty")).getText().contains("No servers yet"));
        browser.findElement(By.linkText("New server")).click();
        assertTrue(browser.getPageSource().contains("Your plan (browser) still allows"));
        shot("1-order-form");

        browser.findElement(By.name("hostname")).sendKeys("shop.example.com");
        set("memoryMiB", "128");
        set("cpus", "0.5");
        set("diskMiB", "256");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "running"));
        assertTrue(browser.findElement(By.cssSelector(".notice")).getText().contains("being created"));
        browser.navigate().refresh(); // the isolation report is read when the page is made, now that it runs
        assertTrue(browser.findElement(By.id("usage")).getAttribute("textContent").contains("Estimated cost so far"));
        String isolation = browser.findElement(By.id("isolation")).getAttribute("textContent");
        assertTrue(isolation.contains("mnt, uts, ipc, net, pid") && isolation.contains("net_bind_service")
                && !isolation.contains("sys_admin"), isolation);
        shot("2-server-running");

        browser.findElement(By.xpath("//button[text()='Stop']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "stopped"));
        shot("3-server-stopped");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base + "servers");
        shot("4-phone-server-list");
        browser.manage().window().setSize(new Dimension(1280, 860));

        browser.findElement(By.linkText("shop.example.com")).click();
        browser.findElement(By.xpath("//button[text()='Destroy']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.urlMatches(".*/servers$"));
        assertTrue(browser.findElement(By.cssSelector(".empty")).getText().contains("No servers yet"));
        EndToEndTest.await("the host has no server left", () -> {
            try {
                return agent.get("/v1/servers").body().trim().equals("[ ]");
            } catch (Exception e) {
                return false;
            }
        });
        shot("5-after-destroy");

        browser.findElement(By.linkText("Sign out")).click();
        wait.until(ExpectedConditions.urlContains("/signed-out.html"));
        browser.get(base + "servers");
        assertTrue(browser.getCurrentUrl().startsWith(TestKeycloak.get().realmUrl()), "after signing out, the panel asks to sign in again");
    }

    void setUpAsAdmin() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("browser", 3), "cleo");
        admin.host("local", agent);
    }

    void set(String field, String value) {
        var input = browser.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }

    void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
