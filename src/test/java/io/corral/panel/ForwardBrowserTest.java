package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer in headless Chromium forwards a port of the host to a server on a private network, with the
 * real agent: a forward added on the server's page makes the server's web server on 8080 reachable from a
 * network namespace of the test (the internet here) at the host's address and the port the panel picked,
 * a refused one shows why, a Remove from a page shown before another change removes nothing, and removing
 * the forward closes the port. Documentation ranges only: the private network 198.51.100.128/26 on a bridge
 * the agent made, and the outside at 198.51.100.226, the host's end of its veth being 198.51.100.225.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ForwardBrowserTest extends WithRealAgent {
    static final String BRIDGE = "crb-fwdui", HOST = "198.51.100.225";
    static WebDriver browser;
    static Outside outside;

    @TestHTTPResource("/")
    URL panel;

    @BeforeAll
    static void startBrowserAndOutside() throws Exception {
        browser = Chromium.start();
        outside = new Outside(HOST + "/28", "198.51.100.226/28");
    }

    @Test
    void aForwardAddedInTheBrowserOpensTheHostsPortAndRemovingItClosesIt() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("fwd-ui", 2, "private"), "cleo");
        int host = admin.host("local", agent);
        admin.network("""
                {"name":"fwdui","kind":"private","ipv4Prefix":"198.51.100.128/26","gateway4":"198.51.100.129","resolvers":[]}""", host,
                "{\"first\":\"198.51.100.140\",\"last\":\"198.51.100.150\"}");
        int id = Await.runningServer("cleo", "shop");
        Api.as("cleo").body("{\"command\":[\"sh\",\"-c\",\"mkdir -p /tmp/www && hostname > /tmp/www/name && httpd -p 8080 -h /tmp/www\"]}")
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200).body("exitCode", equalTo(0));
        assertNull(outside.get("http://" + HOST + ":20000/name"), "the control: nothing forwarded, nothing reaches the server");

        Chromium.signIn(browser, panel + "servers/" + id, "cleo");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("forwards")));
        assertTrue(browser.findElement(By.id("forwards-list")).getText().contains("No port forwards"));
        Chromium.shot(browser, "fwd-0-none");

        addForward("tcp", "8080", "");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "port forwards have been saved"));
        assertEquals(List.of("127.0.0.1:20000 → 8080", "tcp", "8080", "Remove"), browser.findElements(By.cssSelector(
                "#forwards-list tr[data-forward='tcp-20000'] td")).stream().map(cell -> cell.getText().trim()).toList(),
                "the host's address and the port the panel picked");
        Await.until("the agent has the forward", () -> forwardsOnAgent(id) == 1);
        Await.until("the server answers the outside on the host's port 20000", () -> "shop\n".equals(get(20000)));
        Chromium.shot(browser, "fwd-1-added");

        addForward("tcp", "80", "2201");
        assertTrue(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error"))).getText()
                .startsWith("forwards[1].hostPort: must lie within the host ports for forwards, 20000-29999"), "a refused forward says why");
        Chromium.shot(browser, "fwd-2-refused");

        // a change made elsewhere moves the forward to another host port: the page's Remove no longer means it
        int op = Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20001,\"serverPort\":8080}]}")
                .put("/api/v1/servers/" + id + "/forwards").then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        assertNull(get(20000), "the forward moved away from 20000 is closed");
        assertEquals("shop\n", get(20001));
        browser.findElement(By.cssSelector("#forwards-list tr[data-forward='tcp-20000'] button")).click();
        // the page showed the refusal above: wait for the next one's words
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".error"), "changed since this page was shown; nothing was removed"));
        assertEquals(1, forwardsOnAgent(id), "the forward stays");
        Chromium.shot(browser, "fwd-3-stale-remove");

        browser.findElement(By.cssSelector("#forwards-list tr[data-forward='tcp-20001'] button")).click(); // the page as it is now
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("forwards-list"), "No port forwards"));
        Await.until("the agent has no forward", () -> forwardsOnAgent(id) == 0);
        assertNull(get(20001), "removing the forward closes the port");
        Chromium.shot(browser, "fwd-4-removed");
    }

    void addForward(String protocol, String serverPort, String hostPort) {
        new Select(browser.findElement(By.cssSelector("#forwards-add select[name=protocol]"))).selectByValue(protocol);
        browser.findElement(By.cssSelector("#forwards-add input[name=serverPort]")).clear();
        browser.findElement(By.cssSelector("#forwards-add input[name=serverPort]")).sendKeys(serverPort);
        browser.findElement(By.cssSelector("#forwards-add input[name=hostPort]")).clear();
        browser.findElement(By.cssSelector("#forwards-add input[name=hostPort]")).sendKeys(hostPort);
        browser.findElement(By.cssSelector("#forwards-add button[type=submit]")).click();
    }

    /** What the outside gets for the server's /name at the host's address and port, or null. */
    static String get(int port) {
        try {
            return outside.get("http://" + HOST + ":" + port + "/name");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** How many forwards the server's agent holds for it, asked directly. */
    static int forwardsOnAgent(int id) {
        try {
            return new ObjectMapper().readTree(agent.get("/v1/servers/" + id + "/forwards").body()).get("forwards").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    static void stopBrowserAndRemoveNetworks() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (outside != null) {
            outside.close();
        }
        removeBridge(BRIDGE);
    }
}
