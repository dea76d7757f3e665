package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer's snapshots and backups with the real agent: a file written by exec, snapshotted, changed, and the snapshot
 * restored gives the old file back; the same with a backup, also restored into a new server ordered from it (same file,
 * same checksum; another tenant's customer finds no such backup); their figures are the host's; deleting removes them
 * from the host too. In headless Chromium the customer takes a snapshot on the server's page and sees it listed with its sizes,
 * restores it only after saying yes, and sets a weekly backup schedule.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SnapshotAndBackupTest extends WithRealAgent {
    @TestHTTPResource("/")
    URL panel;

    @Test
    void aRestoredSnapshotOrBackupGivesTheOldFilesBack() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("copies", 2), "cleo");
        admin.tenant("Globex", "globex", admin.plan("copies-other", 1), "gus");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "keeper");
        String snapshots = "/api/v1/servers/" + id + "/snapshots", backups = "/api/v1/servers/" + id + "/backups";

        write(id, "one");
        Response taken = Api.as("cleo").post(snapshots).then().statusCode(202).extract().response();
        String sid = taken.path("id");
        Await.operation(operation(taken), "succeeded");
        Api.as("cleo").get(snapshots).then().statusCode(200).body("size()", equalTo(1)).body("[0].id", equalTo(sid))
                .body("[0].status", equalTo("ready")).body("[0].wasRunning", equalTo(true))
                .body("[0].storedBytes", greaterThan(0)).body("[0].diskBytes", equalTo(128 << 20));

        write(id, "two");
        Await.operation(operation(Api.as("cleo").post(snapshots + "/" + sid + "/restore").then().statusCode(202).extract().response()),
                "succeeded");
        Await.observed(id, "running");
        assertEquals("one", read(id), "the snapshot's file back");

        write(id, "three");
        Response backup = Api.as("cleo").post(backups).then().statusCode(202).extract().response();
        String bid = backup.path("id");
        Await.operation(operation(backup), "succeeded");
        Api.as("cleo").get(backups).then().statusCode(200).body("[0].status", equalTo("ready")).body("[0].chunks", greaterThan(0))
                .body("[0].sha256", matchesPattern("[0-9a-f]{64}"));
        long inStore = new ObjectMapper().readTree(agent.get("/v1/servers/" + id + "/backup-storage").body()).get("storedBytes").asLong();
        assertTrue(inStore > 0);
        assertEquals(inStore, billedBackupStorage(id), "what the store holds of the server's backups is what is billed");
        write(id, "four");
        Await.operation(operation(Api.as("cleo").post(backups + "/" + bid + "/restore").then().statusCode(202).extract().response()),
                "succeeded");
        Await.observed(id, "running");
        assertEquals("three", read(id), "the backup's file back");

        // a new server made from the backup: on the backup's host, created, then the backup restored into it
        String sum = exec(id, "sha256sum /kept | cut -d' ' -f1").trim();
        Api.as("cleo").body(Map.of("hostname", "copy", "template", "other", "memoryMiB", 64, "diskMiB", 128))
                .post("/api/v1/backups/" + bid + "/servers").then().statusCode(400).body("field", equalTo("template"));
        Api.as("cleo").body(Map.of("hostname", "copy", "template", "busybox", "memoryMiB", 64, "diskMiB", 64))
                .post("/api/v1/backups/" + bid + "/servers").then().statusCode(400).body("field", equalTo("diskMiB"));
        int copy = Api.as("cleo").body(Map.of("hostname", "copy", "template", "busybox", "memoryMiB", 64, "diskMiB", 128))
                .post("/api/v1/backups/" + bid + "/servers").then().statusCode(201).extract().path("id");
        int restore = Api.as("cleo").queryParam("serverId", copy).get("/api/v1/operations").then().statusCode(200)
                .extract().path("items.find { it.kind == 'backup_restore' }.id");
        Await.operation(restore, "succeeded");
        Await.observed(copy, "running");
        assertEquals("three", read(copy), "the backup's file in the new server");
        assertEquals(sum, exec(copy, "sha256sum /kept | cut -d' ' -f1").trim(), "the same checksum");
        Api.as("gus").body(Map.of("hostname", "theft", "template", "busybox", "memoryMiB", 64, "diskMiB", 128))
                .post("/api/v1/backups/" + bid + "/servers").then().statusCode(404);

        Await.operation(operation(Api.as("cleo").delete(snapshots + "/" + sid).then().statusCode(202).extract().response()), "succeeded");
        Await.operation(operation(Api.as("cleo").delete(backups + "/" + bid).then().statusCode(202).extract().response()), "succeeded");
        Api.as("cleo").get(snapshots).then().body("size()", equalTo(0));
        Api.as("cleo").get(backups).then().body("size()", equalTo(0));
        assertEquals("[]", agent.get("/v1/servers/" + id + "/snapshots").body().replace(" ", ""), "gone from the host");
        assertEquals("[]", agent.get("/v1/servers/" + id + "/backups").body().replace(" ", ""), "gone from the store");
        assertEquals(0, billedBackupStorage(id), "nothing billed once the last is deleted");
    }

    /** What the server's backups take in the store since the last backup taken or deleted: what the meter bills. */
    static long billedBackupStorage(int serverId) {
        return ((Number) io.corral.panel.server.VirtualServer.getEntityManager().createNativeQuery(
                "select stored_bytes from backup_storage where server_id = ?1 order by since desc limit 1").setParameter(1, serverId)
                .getSingleResult()).longValue();
    }

    @Test
    void deletingATenantDeletesTheBackupsItsDestroyedServersLeft() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.host("local", agent);
        int leaving = Api.as("ada").body(Map.of("name", "Leaving", "slug", "leaving", "planId", admin.plan("copies-leaving", 1),
                "ownerEmail", "owner@leaving.test")).post("/api/v1/tenants").then().statusCode(201).extract().path("tenant.id");
        int id = Api.as("ada").queryParam("tenantId", leaving).body(Map.of("hostname", "left", "template", "busybox", "memoryMiB", 64,
                "diskMiB", 128)).post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(id, "running");
        Response backup = Api.as("ada").post("/api/v1/servers/" + id + "/backups").then().statusCode(202).extract().response();
        String bid = backup.path("id");
        Await.operation(operation(backup), "succeeded");
        Await.operation(operation(Api.as("ada").delete("/api/v1/servers/" + id).then().statusCode(202).extract().response()), "succeeded");
        assertTrue(agent.get("/v1/servers/" + id + "/backups").body().contains(bid), "the store outlives the server");

        Api.as("ada").delete("/api/v1/tenants/" + leaving).then().statusCode(200).body("status", equalTo("deleted"));
        Await.until("the backup deleted with its tenant", () -> "succeeded".equals(Api.as("ada").get("/api/v1/operations?serverId=" + id)
                .then().extract().<String>path("items.find { it.kind == 'backup_delete' }.status")));
        assertEquals("[]", agent.get("/v1/servers/" + id + "/backups").body().replace(" ", ""), "gone from the store");
        Api.as("ada").queryParam("serverId", id).get("/api/v1/backups").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(0, billedBackupStorage(id), "and no longer billed");
    }

    @Test
    void aCustomerTakesASnapshotOnTheServersPageRestoresItAfterSayingYesAndSetsASchedule() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme Ltd", "acme", admin.plan("copies-ui", 2), "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "pictured");
        write(id, "before");
        WebDriver browser = Chromium.start();
        try {
            browser.get(panel + "servers/" + id);
            browser.findElement(By.id("username")).sendKeys("cleo");
            browser.findElement(By.id("password")).sendKeys("cleo-password");
            browser.findElement(By.id("kc-login")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("snapshot-list"), "No snapshots."));
            browser.findElement(By.cssSelector("#snapshot-take button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "The snapshot has been queued"));
            wait.until(page -> {
                page.navigate().refresh();
                return page.findElement(By.id("snapshot-list")).getText().contains("ready");
            });
            String row = browser.findElement(By.cssSelector("#snapshot-list tbody tr")).getText();
            // taken at a moment in the browser's zone, in the page's language (December 2, 2026 at 6:28:49 AM UTC)
            assertTrue(row.matches("(?s)\\w+ \\d+, \\d{4} .* ready 128\\.0 MiB \\d+\\.\\d MiB [\\d,]+ ms.*"), row);
            Chromium.shot(browser, "copies-1-snapshot-listed");

            write(id, "after");
            browser.findElement(By.cssSelector("#snapshot-list tbody tr button")).click();
            Alert question = wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(question.getText().contains("Everything written since is lost"), question.getText());
            question.dismiss();
            assertEquals("after", read(id), "no restore without a yes");
            browser.findElement(By.cssSelector("#snapshot-list tbody tr button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "The restore has been queued"));
            Await.until("the snapshot restored", () -> "succeeded".equals(Api.as("ada").get("/api/v1/operations?serverId=" + id).then()
                    .extract().<String>path("items.find { it.kind == 'snapshot_restore' }.status")));
            Await.observed(id, "running");
            assertEquals("before", read(id));

            new Select(browser.findElement(By.cssSelector("#backup-schedule-form select[name=frequency]"))).selectByValue("weekly");
            new Select(browser.findElement(By.cssSelector("#backup-schedule-form select[name=weekday]"))).selectByValue("3");
            browser.findElement(By.cssSelector("#backup-schedule-form input[name=hour]")).clear();
            browser.findElement(By.cssSelector("#backup-schedule-form input[name=hour]")).sendKeys("5");
            browser.findElement(By.cssSelector("#backup-schedule-form input[name=retention]")).clear();
            browser.findElement(By.cssSelector("#backup-schedule-form input[name=retention]")).sendKeys("2");
            browser.findElement(By.cssSelector("#backup-schedule-form button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("backup-schedule"), "Every Wednesday at 05:00 UTC, keeping the last 2"));
            Api.as("cleo").get("/api/v1/servers/" + id + "/backup-schedule").then().statusCode(200).body("weekday", equalTo(3));
            Chromium.shot(browser, "copies-2-schedule-set");

            // a new server from a backup: the order form of the backup's template only, its disk at least the backup's
            browser.findElement(By.cssSelector("#backup-take button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "The backup has been queued"));
            wait.until(page -> {
                page.navigate().refresh();
                return page.findElement(By.id("backup-list")).getText().contains("ready");
            });
            browser.findElement(By.linkText("New server from it")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("from-backup"), "Made from the backup of"));
            assertEquals(List.of("busybox"), new Select(browser.findElement(By.name("template"))).getOptions().stream()
                    .map(o -> o.getAttribute("value")).toList(), "the backup's template only");
            WebElement disk = browser.findElement(By.name("diskMiB"));
            assertEquals("128", disk.getAttribute("min"), "no smaller than the backup's disk");
            browser.findElement(By.name("hostname")).sendKeys("pictured-again");
            browser.findElement(By.name("memoryMiB")).clear();
            browser.findElement(By.name("memoryMiB")).sendKeys("64");
            disk.clear();
            disk.sendKeys("128");
            Chromium.shot(browser, "copies-3-new-server-from-backup");
            browser.findElement(By.cssSelector("form[action='/servers'] button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "then the backup restored into it"));
            int copy = Integer.parseInt(browser.getCurrentUrl().replaceAll(".*/servers/(\\d+).*", "$1"));
            Await.until("the backup restored into the new server", () -> "succeeded".equals(Api.as("ada")
                    .get("/api/v1/operations?serverId=" + copy).then().extract().<String>path("items.find { it.kind == 'backup_restore' }.status")));
            Await.observed(copy, "running");
            assertEquals("before", read(copy), "the backup's file in the new server");
        } finally {
            browser.quit();
        }
    }

    static int operation(Response accepted) {
        String location = accepted.header("Location");
        return Integer.parseInt(location.substring(location.lastIndexOf('/') + 1));
    }

    static void write(int id, String content) {
        exec(id, "echo " + content + " > /kept && sync");
    }

    static String read(int id) {
        return exec(id, "cat /kept").trim();
    }

    static String exec(int id, String script) {
        return Api.as("cleo").body(Map.of("command", List.of("sh", "-c", script))).post("/api/v1/servers/" + id + "/exec").then()
                .statusCode(200).body("exitCode", equalTo(0)).extract().path("stdout");
    }
}
