package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.heartbeat.Heartbeat;
import io.corral.panel.host.Host;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A host that is down, evacuated at the admin's word: its server comes back on the host sharing its backup store (two
 * real agents in network namespaces of their own, one backup directory), from its latest backup, keeping its id and
 * hostname; what it wrote after that backup is lost, as the admin was told. The admin names the shared store and
 * evacuates on the host's page in Chromium (the API's refusals first). When the dead host's agent answers again,
 * the heartbeat removes the old copy it booted.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class EvacuationTest {
    static Path store;
    static TestHosts hosts;
    @Inject
    Fixtures fixtures;
    @Inject
    Heartbeat heartbeat;
    @TestHTTPResource("/")
    java.net.URL panel;

    @BeforeAll
    static void startHosts() throws Exception {
        store = Files.createTempDirectory("corral-shared-backups");
        hosts = TestHosts.start("pev", 2, "--backup-dir", store.toString());
    }

    @AfterAll
    static void stopHosts() throws Exception {
        hosts.close();
    }

    @Test
    void aDownHostsServerComesBackElsewhereFromItsLatestBackup() throws Exception {
        fixtures.wipe();
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("evac", 4), "cleo");
        int first = admin.host("first", hosts.host(0)), second = admin.host("second", hosts.host(1));
        patch(second, "{\"draining\":true}");
        int id = Await.runningServer("cleo", "phoenix"), unsaved = Await.runningServer("cleo", "unsaved");
        patch(second, "{\"draining\":false}");
        Api.exec("cleo", id, "echo kept > /root/before");
        Response backup = Api.as("cleo").post("/api/v1/servers/" + id + "/backups").then().statusCode(202).extract().response();
        Await.operation(SnapshotAndBackupTest.operation(backup), "succeeded");
        Api.exec("cleo", id, "echo lost > /root/after");

        hosts.host(0).kill();
        downSinceLongAgo(first);
        Api.as("ada").get("/api/v1/hosts/" + first).then().body("status", equalTo("down"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"hostId\":" + second + "}").post("/api/v1/evacuations").then().statusCode(409)
                .body("detail", containsString("only a host that is down"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"hostId\":" + first + "}").post("/api/v1/evacuations").then().statusCode(409)
                .body("detail", containsString("store of its own"));
        Api.as("cleo").contentType(ContentType.JSON).body("{\"hostId\":" + first + "}").post("/api/v1/evacuations").then().statusCode(403);
        Api.as("ada").contentType(ContentType.JSON).body("{\"backupStore\":\"Shared!\"}").patch("/api/v1/hosts/" + second).then().statusCode(400)
                .body("field", equalTo("backupStore"));
        patch(second, "{\"backupStore\":\"shared\"}");
        Api.as("ada").get("/api/v1/hosts/" + second).then().body("backupStore", equalTo("shared"));

        // the admin names the dead host's store and evacuates it on its page
        WebDriver browser = Chromium.start();
        try {
            Chromium.signIn(browser, panel + "admin/hosts/" + first, "ada");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            WebElement evacuate = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#evacuate button")));
            assertFalse(evacuate.isEnabled(), "no evacuation while its backups are in a store of its own");
            browser.findElement(By.cssSelector("#host-backup-store input[name=backupStore]")).sendKeys("shared");
            browser.findElement(By.cssSelector("#host-backup-store button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("host-backup-store"), "shared with the hosts named alike"));
            Chromium.shot(browser, "evacuate-1-down-host");
            browser.findElement(By.cssSelector("#evacuate button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            String refusal = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("div.error[role=alert]"))).getText();
            assertTrue(refusal.startsWith("1 of 2 servers evacuated") && refusal.contains("unsaved (#" + unsaved + "): it has no ready backup in store shared"),
                    refusal);
            Chromium.shot(browser, "evacuate-2-one-stays");
        } finally {
            browser.quit();
        }
        Api.as("ada").contentType(ContentType.JSON).body("{\"hostId\":" + first + "}").post("/api/v1/evacuations").then().statusCode(200)
                .body("evacuated", hasSize(0)).body("skipped.serverId", equalTo(List.of(unsaved)))
                .body("skipped[0].reason", equalTo("it has no ready backup in store shared"));
        Api.as("ada").get("/api/v1/audit").then().body("items.find { it.action == 'server.evacuate' }.details", containsString("to host second"));

        Await.until("server " + id + " restored on the second host", Duration.ofSeconds(120), () -> "succeeded".equals(
                Api.as("ada").get("/api/v1/operations?serverId=" + id).then().extract().path("items.find { it.kind == 'backup_restore' }.status")));
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("observedState", equalTo("running"));
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("hostId", equalTo(second)).body("hostname", equalTo("phoenix"));
        assertEquals("kept\n", Api.exec("cleo", id, "cat /root/before"), "what its latest backup held came back");
        assertEquals("gone\n", Api.exec("cleo", id, "test -e /root/after || echo gone"), "what it wrote after that backup is lost");
        assertEquals("running", hosts.host(1).state(id));

        // the dead host comes back and boots its old copy: the next heartbeat removes it
        hosts.host(0).startAgain();
        assertEquals(200, hosts.host(0).get("/v1/servers/" + id).statusCode(), "its agent still had the old copy");
        heartbeat.beat(fixtures.found(first));
        assertEquals(404, hosts.host(0).get("/v1/servers/" + id).statusCode(), "the old copy is gone from the host that came back");
        assertEquals(200, hosts.host(0).get("/v1/servers/" + unsaved).statusCode(), "the server that stayed is its own");
        Api.as("ada").get("/api/v1/hosts/" + first).then().body("status", equalTo("up"));
    }

    private static void patch(int host, String json) {
        Api.as("ada").contentType(ContentType.JSON).body(json).patch("/api/v1/hosts/" + host).then().statusCode(200);
    }

    /** The host as the heartbeat leaves it once its agent has been silent for long: down, its servers unknown. */
    void downSinceLongAgo(int host) {
        fixtures.lastHeardLongAgo(host);
        heartbeat.beat(fixtures.found(host));
    }

}
