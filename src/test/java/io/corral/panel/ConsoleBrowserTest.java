package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser console in headless Chromium, with the real agent: a customer types `hostname` and reads
 * the server's hostname back, Japanese text comes back whole, a phone-width window resizes the terminal
 * (`stty size` says so), a fifth session of the server is refused with the agent's reason and a sixth of the
 * tenant with the panel's, another
 * tenant's user and a page of another site cannot open it, an idle console closes, signing out closes
 * one, and each session is an audit event with how long it lasted.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConsoleBrowserTest extends WithRealAgent {
    static final Duration WAIT = Duration.ofSeconds(60);
    WebDriver browser;

    @TestHTTPResource("/")
    URL panel;

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aCustomerUsesTheConsoleOfTheirServer() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("console", 2), "cleo");
        admin.tenant("Other Ltd", "other", admin.plan("console-other", 1), "otto");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "shell-box");
        int second = Await.runningServer("cleo", "shell-two");

        browser = signedIn("cleo", "servers/" + id);
        browser.findElement(By.id("console-open")).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> rows().stream().anyMatch(r -> r.endsWith("#")));
        shot("console-0-open");

        type("hostname\n");
        wait.until(b -> rows().contains("shell-box"));
        type("echo 日本語\n");
        wait.until(b -> rows().contains("日本語"));
        shot("console-1-hostname-and-japanese");

        WebElement box = browser.findElement(By.id("console"));
        String wide = box.getDomAttribute("data-cols");
        browser.manage().window().setSize(new Dimension(390, 844));
        wait.until(b -> !wide.equals(box.getDomAttribute("data-cols")));
        String size = box.getDomAttribute("data-rows") + " " + box.getDomAttribute("data-cols");
        type("stty size\n");
        wait.until(b -> rows().contains(size));
        shot("console-2-phone-width");

        // three more are the server's four; the fifth is refused with the agent's reason
        for (int i = 0; i < 3; i++) {
            assertEquals("open", firstWord(socketFromPage(id)));
        }
        String fifth = socketFromPage(id);
        assertTrue(fifth.startsWith("refused: ") && fifth.contains("already has 4 console sessions open, the most it may"), fifth);
        // and the tenant's fifth, on its other server, is its last (the profile's bound)
        assertEquals("open", firstWord(socketFromPage(second)));
        String sixth = socketFromPage(second);
        assertEquals("refused: the server's tenant already has 5 console sessions open, the most it may; close one first", sixth);
        WebDriver ada = signedIn("ada", "servers/" + second);
        try {
            assertEquals("open", firstWord(socketFromPage(ada, second)), "an admin's is not the tenant's to count");
        } finally {
            ada.quit();
        }

        // a page of another site cannot open it with the customer's cookies; the panel's own origin can
        String cookies = browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
        CompletionException refused = assertThrows(CompletionException.class, () -> socket(id, cookies, "http://evil.example"));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 403, refused.toString());

        // idle: with no input for the configured 30 s the console closes and says why
        wait.until(b -> b.findElement(By.id("console-status")).getText().startsWith("ended: no input for 30 s"));
        shot("console-3-idle");

        // signing out, in another tab, ends the console opened again
        browser.findElement(By.id("console-open")).click();
        wait.until(b -> b.findElement(By.id("console-status")).getText().equals("connected"));
        String page = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(panel + "logout");
        browser.switchTo().window(page);
        // the page says so unless the console log's next poll, finding the session gone, has already reloaded it to sign in
        Await.until("the console ended by the sign-out", () -> closedConsoles().stream().anyMatch(d -> d.endsWith("): signed out")));
        Chromium.shot(browser, "console-4-signed-out");
        browser.quit();
        browser = null;

        Await.until("each session an audit event with how long it lasted", () -> closedConsoles().size() >= 5);

        browser = signedIn("otto", "servers");
        String other = socketFromPage(id);
        assertTrue(other.startsWith("refused: server " + id + " does not exist"), "another tenant's user: " + other);
    }

    /** The details of the audit events of closed console sessions. */
    static List<String> closedConsoles() {
        return Api.as("ada").queryParam("size", 100).get("/api/v1/audit")
                .then().extract().<List<String>>path("items.findAll { it.action == 'server.console' }.details").stream()
                .filter(d -> d != null && d.startsWith("closed after ")).toList();
    }

    WebDriver signedIn(String user, String path) throws Exception {
        WebDriver b = Chromium.start();
        Chromium.signIn(b, panel + path, user);
        new WebDriverWait(b, WAIT).until(d -> d.getCurrentUrl().startsWith(panel.toString()));
        return b;
    }

    /** A screenshot with the terminal's last rows in view. */
    void shot(String name) throws Exception {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(false)", browser.findElement(By.id("console")));
        Chromium.shot(browser, name);
    }

    void type(String text) {
        browser.findElement(By.cssSelector("#console .xterm-helper-textarea")).sendKeys(text);
    }

    /** The terminal's rows as shown, each trimmed. */
    List<String> rows() {
        return browser.findElements(By.cssSelector("#console .xterm-rows > div")).stream().map(r -> r.getText().trim()).toList();
    }

    /** Opens a console socket from the page, as its script does: "open" once output comes, else the first text message or the close. */
    String socketFromPage(int id) {
        return socketFromPage(browser, id);
    }

    static String socketFromPage(WebDriver browser, int id) {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const ws = new WebSocket('ws://' + location.host + '/servers/' + arguments[0] + '/console/socket');
                window.kept = (window.kept || []).concat([ws]);
                ws.binaryType = 'arraybuffer';
                ws.onmessage = m => done(typeof m.data === 'string' ? m.data : 'open');
                ws.onclose = e => done('closed ' + e.code);
                """, id);
    }

    static String firstWord(String s) {
        return s.split(" ")[0];
    }

    /** A console socket opened outside the browser, with its cookies and the given Origin. */
    WebSocket socket(int id, String cookies, String origin) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookies).header("Origin", origin)
                .buildAsync(URI.create(panel.toString().replace("http://", "ws://") + "servers/" + id + "/console/socket"),
                        new WebSocket.Listener() { })
                .join();
    }
}
