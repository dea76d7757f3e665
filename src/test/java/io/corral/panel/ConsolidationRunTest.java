package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.openqa.selenium.By;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lightly used fleet of three hosts, each a real agent in a network namespace of its own: the consolidation plan
 * empties hosts and its run, started on the Consolidation page in Chromium, carries it out, every server running afterwards with its files; a drain empties one
 * host; a cancelled run stops after the move in flight.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConsolidationRunTest {
    static TestHosts hosts;
    @jakarta.inject.Inject
    Fixtures fixtures;
    final List<Integer> hostIds = new ArrayList<>();
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL panel;

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = TestHosts.start("pcr", 3);
    }

    @AfterAll
    static void stopHosts() throws Exception {
        hosts.close();
    }

    @BeforeEach
    void world() {
        fixtures.wipe();
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("fleet", 8), "cleo");
        hostIds.clear();
        for (int i = 0; i < 3; i++) {
            hostIds.add(admin.host("host-" + (i + 1), hosts.host(i)));
        }
    }

    /** Two servers on each host, each with a file of its own: placed there by draining the other hosts meanwhile. */
    private Map<Integer, String> twoServersOnEachHost() {
        Map<Integer, String> files = new HashMap<>();
        for (int h = 0; h < 3; h++) {
            for (int other = 0; other < 3; other++) {
                draining(other, other != h);
            }
            for (int k = 0; k < 2; k++) {
                int id = Api.as("cleo").body("{\"hostname\":\"s" + h + k + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"cpus\":0.25,\"diskMiB\":128}")
                        .post("/api/v1/servers").then().statusCode(201).extract().path("id");
                Await.observed(id, "running");
                assertEquals(hostIds.get(h), hostOf(id));
                files.put(id, Api.exec("cleo", id, "head -c 1048576 /dev/urandom > /root/mine; sha256sum /root/mine"));
            }
        }
        for (int h = 0; h < 3; h++) {
            draining(h, false);
        }
        return files;
    }

    @Test
    void thePlanEmptiesHostsAndItsRunLeavesEveryServerRunningWithItsFiles() throws Exception {
        Map<Integer, String> files = twoServersOnEachHost();
        JsonPath plan = Api.as("ada").get("/api/v1/consolidation/plan").then().statusCode(200).extract().jsonPath();
        assertEquals(2, plan.getList("emptiedHosts").size(), "six small servers fit on one host: " + plan.prettify());
        assertEquals(1, plan.getInt("lowerBound"));
        assertEquals(4, plan.getList("moves").size(), plan.prettify());
        Api.as("cleo").get("/api/v1/consolidation/plan").then().statusCode(403);

        // the admin carries it out on the Consolidation page, which follows the run's progress
        org.openqa.selenium.WebDriver browser = Chromium.start();
        try {
            Chromium.signIn(browser, panel + "admin/consolidation", "ada");
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#plan-moves tbody tr")).size() == 4);
            assertEquals(2, browser.findElement(By.id("plan-emptied")).getText().split(", ").length);
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('plan').scrollIntoView()");
            Chromium.shot(browser, "fleet-1-plan");
            browser.findElement(By.cssSelector("#run-plan button")).click();
            wait.until(d -> !d.findElements(By.id("run")).isEmpty());
            Api.as("ada").post("/api/v1/consolidation/plan/run").then().statusCode(409).body("detail", containsString("still moving"));
            // the page reloads itself every 3 s while the run goes on: an element read during a reload is stale
            new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(180))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> "finished".equals(d.findElement(By.id("run")).getAttribute("data-status")));
            assertEquals(4, browser.findElements(By.cssSelector("#run li[data-status=done]")).size());
            assertEquals(2, browser.findElements(By.cssSelector("#per-host .badge.draining")).size(), "the emptied hosts shown draining");
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('plan').scrollIntoView()");
            Chromium.shot(browser, "fleet-2-run-finished");
        } finally {
            browser.quit();
        }

        Set<Integer> holding = new HashSet<>();
        for (var e : files.entrySet()) {
            Api.as("cleo").get("/api/v1/servers/" + e.getKey()).then().body("observedState", equalTo("running"));
            assertEquals(e.getValue(), Api.exec("cleo", e.getKey(), "sha256sum /root/mine"), "server " + e.getKey() + "'s file came along");
            holding.add(hostOf(e.getKey()));
        }
        assertEquals(1, holding.size(), "all on one host now");
        for (int h = 0; h < 3; h++) {
            boolean emptied = !holding.contains(hostIds.get(h));
            assertEquals(emptied ? 0 : 6, agentServers(h), "host-" + (h + 1) + " as its agent has it");
            Api.as("ada").get("/api/v1/hosts/" + hostIds.get(h)).then().body("status", equalTo(emptied ? "draining" : "up"));
        }
    }

    @Test
    void drainingAHostMovesItsServersAway() throws Exception {
        Map<Integer, String> files = twoServersOnEachHost();
        int run = Api.as("ada").post("/api/v1/consolidation/hosts/" + hostIds.get(1) + "/drain").then().statusCode(201).extract().path("id");
        assertEquals("finished", awaitRun(run).getString("status"));
        assertEquals(0, agentServers(1));
        Api.as("ada").get("/api/v1/hosts/" + hostIds.get(1)).then().body("status", equalTo("draining"));
        for (var e : files.entrySet()) {
            assertTrue(hostOf(e.getKey()) != hostIds.get(1));
            assertEquals(e.getValue(), Api.exec("cleo", e.getKey(), "sha256sum /root/mine"));
        }
        Api.as("ada").post("/api/v1/consolidation/hosts/" + hostIds.get(1) + "/drain").then().statusCode(409).body("detail", containsString("no servers"));
    }

    @Test
    void aCancelledRunStopsAfterTheMoveInFlight() throws Exception {
        twoServersOnEachHost();
        int run = Api.as("ada").post("/api/v1/consolidation/plan/run").then().statusCode(201).extract().path("id");
        Api.as("ada").post("/api/v1/consolidation/runs/" + run + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
        Await.until("the move in flight ended", Duration.ofSeconds(120),
                () -> Api.as("ada").get("/api/v1/consolidation/runs/" + run).then().extract().path("finishedAt") != null);
        JsonPath r = Api.as("ada").get("/api/v1/consolidation/runs/" + run).then().extract().jsonPath();
        assertEquals(1, r.getInt("done"), r.prettify());
        assertEquals(3, r.getList("moves.findAll { it.status == 'cancelled' }").size(), r.prettify());
        Api.as("ada").post("/api/v1/consolidation/runs/" + run + "/cancel").then().statusCode(409);
    }

    private JsonPath awaitRun(int run) {
        Await.until("run " + run + " ended", Duration.ofSeconds(180),
                () -> !"running".equals(Api.as("ada").get("/api/v1/consolidation/runs/" + run).then().extract().path("status")));
        return Api.as("ada").get("/api/v1/consolidation/runs/" + run).then().extract().jsonPath();
    }

    private void draining(int host, boolean draining) {
        Api.as("ada").contentType(ContentType.JSON).body("{\"draining\":" + draining + "}").patch("/api/v1/hosts/" + hostIds.get(host))
                .then().statusCode(200);
    }

    private static int hostOf(int server) {
        return Api.as("ada").get("/api/v1/servers/" + server).then().extract().path("hostId");
    }

    private static int agentServers(int host) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(hosts.host(host).get("/v1/servers").body()).size();
    }

}
