package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer's server's console log with the real agent: the API gives the host's line for its boot and
 * what the server printed, and what came after an offset; another tenant's customer gets 404 as for a
 * server that does not exist; in headless Chromium the server's page shows a line the server printed, and
 * a later one appears without a reload, as text (an HTML tag the server printed stays text, terminal
 * escapes are gone, Japanese shows as it was written).
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConsoleLogTest extends WithRealAgent {
    static WebDriver browser;

    @TestHTTPResource("/")
    URL panel;

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
    void theServersOwnOutputIsReadInTheApiAndFollowedOnItsPage() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("logs", 2), "cleo");
        admin.tenant("Globex", "globex", admin.plan("other", 2), "gus");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "logger");
        String log = "/api/v1/servers/" + id + "/console-log";
        Api.as("cleo").get(log).then().statusCode(200).body("text", containsString("] starting logger from template busybox\n"));

        long seen = Api.as("cleo").get(log).then().extract().<Number>path("next").longValue();
        print(id, "echo printed by the server > /proc/1/fd/1");
        Await.until("the server's line in the log", () -> Api.as("cleo").get(log + "?after=" + seen).then().extract()
                .<String>path("text").equals("printed by the server\n"));
        Api.as("cleo").get(log + "?after=" + seen).then().statusCode(200).body("from", equalTo((int) seen));

        Api.as("gus").get(log).then().statusCode(404);
        Api.as("cleo").get(log + "?after=-1").then().statusCode(400).body("field", equalTo("after"));
        Api.as("cleo").get(log + "?after=twelve").then().statusCode(400).body("field", equalTo("after"));

        Chromium.signIn(browser, panel + "servers/" + id, "cleo");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("console-log"), "printed by the server"));
        Chromium.shot(browser, "console-log-1-shown");
        ((JavascriptExecutor) browser).executeScript("window.stillThisPage = true;");

        print(id, "printf 'a later line \\033[31min red\\033[0m, ウェブ, <b>not bold</b>\\n' > /proc/1/fd/1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("console-log"), "a later line in red, ウェブ, <b>not bold</b>"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.stillThisPage === true;"), "no reload");
        assertTrue(browser.findElements(By.cssSelector("#console-log b")).isEmpty(), "what the server printed is never markup");
        Chromium.shot(browser, "console-log-2-followed");
    }

    /** Runs a shell command in the server as its customer, through the panel. */
    static void print(int id, String script) {
        Api.as("cleo").body(java.util.Map.of("command", java.util.List.of("sh", "-c", script)))
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200).body("exitCode", equalTo(0));
    }
}
