package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.usage.UsageIngest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer in headless Chromium: orders a server, watches it come up, sees its usage chart, stops
 * and destroys it; then an admin looks at the consolidation statistics and the host's page.
 * Screenshots land in target/screenshots for a person to look at.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CustomerBrowserTest extends WithRealAgent {
    static WebDriver browser;

    /**
     * The capabilities a server keeps (host-agent containment/Capabilities.java KEPT, with mknod as the
     * host has device control), in the order the report prints them: by number.
     */
    static final String KEPT_CAPABILITIES = "chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap, net_bind_service, "
            + "net_raw, sys_chroot, sys_boot, mknod, audit_write, setfcap";

    @TestHTTPResource("/")
    URL panel;
    @Inject
    UsageIngest ingest;
    @Inject
    DataSource db;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
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

        browser.findElement(By.name("hostname")).sendKeys("bad_name.example");
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        // a click does not wait for the page it submits to
        assertTrue(new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".error")))
                        .getText().startsWith("hostname: must be an RFC 1123 host name"),
                "a refused order shows the form again, saying why");
        browser.findElement(By.name("hostname")).clear();
        browser.findElement(By.name("hostname")).sendKeys("ウェブ.example.jp");
        set("memoryMiB", "128");
        set("cpus", "0.5");
        set("diskMiB", "256");
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "running"));
        assertTrue(browser.findElement(By.cssSelector(".notice")).getText().contains("being created"));
        browser.navigate().refresh(); // the isolation report is read when the page is made, now that it runs
        assertTrue(browser.findElement(By.id("usage")).getAttribute("textContent").contains("Estimated cost so far"));
        String isolation = browser.findElement(By.id("isolation")).getAttribute("textContent");
        assertTrue(isolation.contains("mnt, uts, ipc, net, pid, cgroup, user") && isolation.contains("own range: ids 0–65535 inside are 1000000000–"),
                isolation);
        assertEquals(KEPT_CAPABILITIES, browser.findElement(By.xpath("//table[@id='isolation']//tr[th='Capabilities']/td")).getText(),
                "exactly the kept capabilities: any other (sys_admin, or one the report can only call cap_NN) would show here");
        shot("2-server-running");

        // the name as entered, its ASCII form beside it; the server itself has the ASCII form
        int serverId = Integer.parseInt(browser.getCurrentUrl().replaceAll(".*/servers/(\\d+).*", "$1"));
        assertTrue(browser.findElement(By.cssSelector("h1")).getText().startsWith("ウェブ.example.jp xn--gckc5l.example.jp"));
        Api.as("cleo").body("{\"command\":[\"hostname\"]}").post("/api/v1/servers/" + serverId + "/exec").then()
                .body("stdout", org.hamcrest.Matchers.equalTo("xn--gckc5l.example.jp\n"));

        // once the ledger has a measured hour, the page draws the server's CPU, memory and disk with their limits
        measuredHour(ingest, db, serverId);
        browser.navigate().refresh();
        // this month's traffic against the plan's 1,024 GiB, pro rata from the hour it was ordered: the usage API's figure
        String traffic = browser.findElement(By.id("traffic")).getText();
        String figure = Api.as("cleo").get("/api/v1/servers/" + serverId + "/usage/traffic").then().statusCode(200).extract().path("summary");
        assertTrue(figure.matches("[0-9.,]+ GiB of [0-9.,]+ GiB included this month( \\(pro rata of 1,024 GiB\\))?") && traffic.endsWith("\n" + figure),
                traffic + " / " + figure);
        wait.until(ExpectedConditions.attributeToBe(By.id("usage-chart"), "data-loaded", "24h"));
        assertEquals(3, browser.findElements(By.cssSelector("#usage-chart .plot canvas")).size(), "CPU, memory and disk drawn");
        String cpuLegend = browser.findElement(By.cssSelector("#usage-chart .plot[data-resource=cpuCores]")).getAttribute("textContent");
        assertTrue(cpuLegend.contains("CPU") && cpuLegend.contains("limit"), cpuLegend);
        browser.findElement(By.cssSelector("#usage-chart button[data-window='7d']")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("usage-chart"), "data-loaded", "7d"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('usage-chart').scrollIntoView()");
        shot("2b-server-usage-chart");

        browser.findElement(By.xpath("//button[text()='Stop']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "stopped"));
        shot("3-server-stopped");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base + "servers");
        shot("4-phone-server-list");
        browser.manage().window().setSize(new Dimension(1280, 860));

        browser.findElement(By.linkText("ウェブ.example.jp")).click();
        browser.findElement(By.xpath("//button[text()='Destroy']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.urlMatches(".*/servers$"));
        assertTrue(browser.findElement(By.cssSelector(".empty")).getText().contains("No servers yet"));
        Await.until("the host has no server left", () -> {
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

        // the admin's view of the same host: consolidation statistics, then the host's page with its chart
        browser.get(base + "admin/consolidation?window=24h");
        browser.findElement(By.id("username")).sendKeys("ada");
        browser.findElement(By.id("password")).sendKeys("ada-password");
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("per-host")));
        String row = browser.findElement(By.cssSelector("#per-host tr[data-host=local]")).getText();
        assertTrue(row.contains(" of ") && !row.contains("nothing measured"), "the host's measured use is shown: " + row);
        assertEquals("1", browser.findElement(By.id("hosts-needed")).getText());
        shot("6-admin-consolidation");
        browser.findElement(By.linkText("local")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("usage-chart"), "data-loaded", "24h"));
        assertEquals(3, browser.findElements(By.cssSelector("#usage-chart .plot canvas")).size());
        assertTrue(browser.findElement(By.id("host-use")).getAttribute("textContent").contains("95th percentile"));
        shot("7-admin-host");
    }

    /** Waits until the ledger has a measured hour of the server, and of its host. */
    static void measuredHour(UsageIngest ingest, DataSource db, long serverId) {
        Host host = Host.<Host>find("name", "local").firstResult();
        Await.until("a measured hour in the ledger", Duration.ofSeconds(30), () -> {
            ingest.ingest(host);
            return Db.number(db, "select count(*) from usage_hour where observed_hours > 0 and server_id = " + serverId) > 0
                    && Db.number(db, "select count(*) from host_hour where observed_seconds > 0 and host_id = " + host.id) > 0;
        });
    }

    void setUpAsAdmin() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        int plan = admin.plan("browser", 3);
        admin.includeTraffic(plan, 1024, "0.01");
        admin.tenant("Acme Ltd", "acme", plan, "cleo");
        admin.host("local", agent);
    }

    void set(String field, String value) {
        var input = browser.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }

    void shot(String name) throws Exception {
        Chromium.shot(browser, name);
    }
}
