package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer in headless Chromium edits the firewall of a server on a public network, with the real
 * agent: a rule refused shows why, a deny rule for TCP 8080 added on the server's page stops this host
 * reaching the server's web server on 8080 (8081 still answers), and removing it opens 8080 again.
 * Documentation ranges only (203.0.113.0/24, 2001:db8::/32), on a bridge the agent made.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class FirewallBrowserTest extends WithRealAgent {
    static final String BRIDGE = "crb-fwui";
    static WebDriver browser;

    @TestHTTPResource("/")
    URL panel;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
    }

    @Test
    void aRuleAddedInTheBrowserBlocksTcpAndRemovingItOpensAgain() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("fw-ui", 2, "public"), "cleo");
        int host = admin.host("local", agent);
        admin.publicNetwork("fwui", "f0b", host);
        int id = Await.runningServer("cleo", "shop");
        Api.as("cleo").body("{\"command\":[\"sh\",\"-c\",\"mkdir -p /tmp/www && hostname > /tmp/www/name"
                        + " && httpd -p 8080 -h /tmp/www && httpd -p 8081 -h /tmp/www\"]}")
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200).body("exitCode", equalTo(0));
        String port8080 = "http://203.0.113.10:8080/name", port8081 = "http://203.0.113.10:8081/name";
        assertEquals("shop\n", ServerHttp.within(port8080), "the control: open before any rule");

        Chromium.signIn(browser, panel + "servers/" + id, "cleo");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("firewall")));
        assertTrue(browser.findElement(By.id("firewall-rules")).getText().contains("No rules: everything gets in"));
        Chromium.shot(browser, "fw-0-open");

        addRule("deny", "tcp", "70000");
        assertTrue(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error"))).getText()
                .startsWith("rules[0].ports: ports lie between 1 and 65535"), "a refused rule says why");
        Chromium.shot(browser, "fw-1-refused");

        addRule("deny", "tcp", "8080");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "firewall has been saved"));
        assertEquals(java.util.List.of("1", "deny", "tcp", "8080", "anywhere", "Remove"), browser.findElements(By.cssSelector(
                "#firewall-rules tr[data-rule='0'] td")).stream().map(cell -> cell.getText().trim()).toList());
        Await.until("the agent has the rule", () -> rulesOnAgent(id) == 1);
        assertTrue(ServerHttp.get(port8080).isEmpty(), "8080 is blocked");
        assertEquals("shop\n", ServerHttp.get(port8081).orElse(null), "while 8081 still answers");
        Chromium.shot(browser, "fw-2-rule-added");

        // a change made elsewhere puts another rule first: the page's Remove of rule 1 no longer means that rule
        Api.as("cleo").body("{\"defaultInbound\":\"allow\",\"rules\":[{\"action\":\"deny\",\"protocol\":\"udp\",\"ports\":\"9999\"},"
                + "{\"action\":\"deny\",\"protocol\":\"tcp\",\"ports\":\"8080\"}]}").put("/api/v1/servers/" + id + "/firewall")
                .then().statusCode(202);
        browser.findElement(By.cssSelector("#firewall-rules tr[data-rule='0'] button")).click();
        assertTrue(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error"))).getText()
                .contains("is not the one this page showed"), "a page shown before the change removes nothing");
        assertEquals(Integer.valueOf(2), Api.as("cleo").get("/api/v1/servers/" + id + "/firewall").then().extract().<Integer>path("rules.size()"), "both rules stay");
        browser.findElement(By.cssSelector("#firewall-rules tr[data-rule='0'] button")).click(); // the page as it is now: udp 9999
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "firewall has been saved"));
        Await.until("the agent has the one rule left", () -> rulesOnAgent(id) == 1);

        browser.findElement(By.cssSelector("#firewall-rules tr[data-rule='0'] button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("firewall-rules"), "No rules"));
        Await.until("the agent has no rule", () -> rulesOnAgent(id) == 0);
        assertEquals("shop\n", ServerHttp.get(port8080).orElse(null), "8080 is open again");
        Chromium.shot(browser, "fw-3-rule-removed");
    }

    void addRule(String action, String protocol, String ports) {
        new Select(browser.findElement(By.cssSelector("#firewall-add select[name=action]"))).selectByValue(action);
        new Select(browser.findElement(By.cssSelector("#firewall-add select[name=protocol]"))).selectByValue(protocol);
        browser.findElement(By.cssSelector("#firewall-add input[name=ports]")).clear();
        browser.findElement(By.cssSelector("#firewall-add input[name=ports]")).sendKeys(ports);
        browser.findElement(By.cssSelector("#firewall-add button[type=submit]")).click();
    }

    /** How many rules the server's agent holds for it, asked directly. */
    static int rulesOnAgent(int id) {
        String answer = null;
        try {
            answer = agent.get("/v1/servers/" + id + "/firewall").body();
            return new ObjectMapper().readTree(answer).get("rules").size();
        } catch (Exception e) {
            throw new AssertionError("the agent answered " + answer, e);
        }
    }

    @AfterAll
    static void stopBrowserAndRemoveBridge() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        removeBridge(BRIDGE);
    }
}
