package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer in headless Chromium orders a server with an SSH key and a root password, with the real agent: a key
 * refused shows why and keeps what was pasted, the ordered server has the key in root's authorized_keys, and a key
 * added and one removed on the server's page reach the server.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CredentialsBrowserTest extends WithRealAgent {
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
    void aServerOrderedWithAKeyHasItAndKeysChangeOnItsPage() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("keys-ui", 2), "cleo");
        admin.host("local", agent);
        String key = ValidRequests.SSH_KEY, second = TestKeys.ed25519("second@laptop");

        Chromium.signIn(browser, panel + "servers/new", "cleo");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("sshKeys")));
        browser.findElement(By.name("hostname")).sendKeys("keyed");
        browser.findElement(By.name("sshKeys")).sendKeys(key + "\nssh-dss AAAAB3NzaC1kc3MAAAA= old");
        browser.findElement(By.name("rootPassword")).sendKeys("correct horse battery staple");
        browser.findElement(By.cssSelector("form.grid button[type=submit]")).click();
        String error = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error"))).getText();
        assertTrue(error.startsWith("sshKeys[1]: type must be one of"), error);
        assertEquals(key + "\nssh-dss AAAAB3NzaC1kc3MAAAA= old", browser.findElement(By.name("sshKeys")).getAttribute("value"),
                "what was pasted stays to be mended");
        assertEquals("", browser.findElement(By.name("rootPassword")).getAttribute("value"), "the password is not sent back");
        Chromium.shot(browser, "keys-0-refused");

        browser.findElement(By.name("sshKeys")).clear();
        browser.findElement(By.name("sshKeys")).sendKeys(key + "\n");
        browser.findElement(By.name("rootPassword")).sendKeys("correct horse battery staple");
        Chromium.shot(browser, "keys-1-order");
        browser.findElement(By.cssSelector("form.grid button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "running"));
        int id = Integer.parseInt(browser.getCurrentUrl().replaceAll(".*/servers/(\\d+).*", "$1"));
        assertEquals(key + "\n", CredentialsApiTest.inServer(id, "cat /root/.ssh/authorized_keys"));
        assertTrue(CredentialsApiTest.inServer(id, "cut -d: -f2 /etc/shadow").startsWith("$6$"));
        assertEquals(List.of("ssh-ed25519", "probe@test", "SHA256:USa7JRfmO9zPH+xp/FBKBYswZxZJvgtdK1NqWFIieQ0", "Remove"),
                browser.findElements(By.cssSelector("#ssh-key-list tbody tr td")).stream().map(c -> c.getText().trim()).toList());
        Chromium.shot(browser, "keys-2-ordered");

        browser.findElement(By.cssSelector("#ssh-key-add textarea[name=key]")).sendKeys(second);
        browser.findElement(By.cssSelector("#ssh-key-add button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "SSH keys have been saved"));
        Await.until("the second key in the server",
                () -> CredentialsApiTest.inServer(id, "cat /root/.ssh/authorized_keys").equals(key + "\n" + second + "\n"));
        Chromium.shot(browser, "keys-3-added");

        // the page before still shows the notice of the key added: the one awaited is the next page's
        WebElement added = browser.findElement(By.cssSelector(".notice"));
        browser.findElement(By.cssSelector("#ssh-key-list tbody tr:first-child button")).click();
        wait.until(ExpectedConditions.stalenessOf(added));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "SSH keys have been saved"));
        assertTrue(browser.findElement(By.id("ssh-key-list")).getText().contains("second@laptop"));
        assertTrue(!browser.findElement(By.id("ssh-key-list")).getText().contains("probe@test"), "the first is gone from the page");
        Await.until("only the second key in the server",
                () -> CredentialsApiTest.inServer(id, "cat /root/.ssh/authorized_keys").equals(second + "\n"));
        Chromium.shot(browser, "keys-4-removed");
    }
}
