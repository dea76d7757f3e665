package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.transaction.Transactional;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path with a real host agent: admin registers the host, a customer's server goes create → start → exec → stop →
 * destroy; limits past the plan never reach the agent; every exec is audited, and a suspended tenant's users run none.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class EndToEndTest extends WithRealAgent {
    @jakarta.inject.Inject
    javax.sql.DataSource db;
    @jakarta.inject.Inject
    io.corral.panel.heartbeat.Heartbeat heartbeat;
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL panel;

    @Test
    void aCustomersServerFromOrderToDestroy() throws Exception {
        // the admin sets up a plan, a tenant and the host
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("e2e", 2), "cleo");
        Api.as("ada").body("{\"name\":\"local\",\"agentUrl\":\"" + agent.url() + "\",\"secret\":\"wrong-secret-0123456789\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("secret"));
        Api.as("ada").body("{\"name\":\"local\",\"agentUrl\":\"" + agent.url() + "\",\"secret\":\"" + RealAgent.SECRET + "\"}")
                .post("/api/v1/hosts").then().statusCode(201).body("cgroupVersion", equalTo(RealAgent.hostCgroupVersion())).body("status", equalTo("up"))
                .body("templates", equalTo(java.util.List.of("busybox")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));

        // the customer orders a server; the worker creates and starts it on the agent
        int id = Api.as("cleo").body("{\"hostname\":\"shop\",\"template\":\"busybox\",\"memoryMiB\":128,\"cpus\":0.5,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(id, "running");
        assertEquals("running", agent.state(id), "the agent runs it under the panel's id");

        Api.as("cleo").body("{\"command\":[\"hostname\"]}").post("/api/v1/servers/" + id + "/exec")
                .then().statusCode(200).body("stdout", equalTo("shop\n")).body("exitCode", equalTo(0));
        // how it is held in, read live from the host: its own namespaces (the user namespace too), seccomp, no sys_admin
        Api.as("cleo").get("/api/v1/servers/" + id + "/isolation").then().statusCode(200)
                .body("namespaces", org.hamcrest.Matchers.hasItems("mnt", "uts", "ipc", "net", "pid", "user"))
                .body("seccomp", equalTo(true)).body("capabilities", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("cap_21")))
                .body("capabilities", org.hamcrest.Matchers.hasItem("net_bind_service"))
                .body("userNamespace", org.hamcrest.Matchers.startsWith("own range: ids 0–65535 inside are 1000000000–"));
        Api.as("ada").get("/api/v1/hosts").then().body("items[0].userNamespaces", equalTo(true))
                .body("items[0].userNamespacesUnavailable", org.hamcrest.Matchers.nullValue())
                .body("items[0].deviceControl", equalTo(true));

        Api.as("cleo").post("/api/v1/servers/" + id + "/stop").then().statusCode(202);
        Await.observed(id, "stopped");
        assertEquals("stopped", agent.state(id));

        int destroy = Api.as("cleo").delete("/api/v1/servers/" + id).then().statusCode(202).extract().path("id");
        Await.operation(destroy, "succeeded");
        assertEquals(404, agent.get("/v1/servers/" + id).statusCode(), "gone from the host");
        Api.as("cleo").get("/api/v1/servers/" + id).then().statusCode(404);
    }

    @Test
    void anAgentRefusalFailsTheOperationWithItsMessageAndReleasesTheQuota() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Globex", "globex", admin.plan("e2e-fail", 1), "gus");
        int hostId = admin.host("local", agent);
        // a template the host does not have is refused with the order, before anything is reserved
        Api.as("gus").body("{\"hostname\":\"x\",\"template\":\"no-such-template\",\"memoryMiB\":64,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(400).body("field", equalTo("template"))
                .body("detail", equalTo("template: no host that takes new servers has 'no-such-template'; offered: busybox"));
        // a boot that fails: the operation fails with the agent's reason and the agent keeps nothing of it
        java.nio.file.Path broken = agent.state.resolve("templates/broken");
        java.nio.file.Files.createDirectories(broken.resolve("rootfs"));
        java.nio.file.Files.writeString(broken.resolve("template.json"), "{\"init\":[\"/sbin/init\"],\"stopSignal\":15,\"builtFrom\":\"test\"}");
        heartbeat.beat(host(hostId)); // the agent's facts now name it
        int unbootable = Api.as("gus").body("{\"hostname\":\"z\",\"template\":\"broken\",\"memoryMiB\":64,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        int bootOp = Api.as("gus").get("/api/v1/operations?serverId=" + unbootable).then().extract().path("items[0].id");
        Await.operation(bootOp, "failed");
        Api.as("gus").get("/api/v1/operations/" + bootOp).then().body("error", org.hamcrest.Matchers.containsString("cannot be run"));
        assertEquals(404, agent.get("/v1/servers/" + unbootable).statusCode(), "the agent keeps no server of a failed order");
        // the plan allows one server: the failed ones no longer count
        int next = Api.as("gus").body("{\"hostname\":\"y\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(next, "running");
        int destroy = Api.as("gus").delete("/api/v1/servers/" + next).then().statusCode(202).extract().path("id");
        Await.operation(destroy, "succeeded");
    }

    @Test
    void limitsOverThePlanNeverReachTheAgent() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("e2e-limits", 2), "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "limited");
        String limits = "/api/v1/servers/" + id + "/limits";
        // what was tried against a real agent: swap, processes and CPU weight far past the plan (512 MiB, 4096, 500 per server)
        Api.as("cleo").body("{\"swapMiB\":1048576,\"pids\":4194304,\"cpuWeight\":10000}").put(limits)
                .then().statusCode(422).body("field", equalTo("limits.swapMiB"));
        Api.as("cleo").body("{\"pids\":4194304}").put(limits).then().statusCode(422).body("field", equalTo("limits.pids"));
        Api.as("cleo").body("{\"cpuWeight\":10000}").put(limits).then().statusCode(422).body("field", equalTo("limits.cpuWeight"));
        // what the plan allows is applied, and nothing of what was refused
        int op = Api.as("cleo").body("{\"pids\":300}").put(limits).then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        var applied = new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.get("/v1/servers/" + id).body()).get("limits");
        assertEquals(300, applied.get("pids").asInt());
        assertEquals(0, applied.get("swapMiB").asLong());
        assertEquals(100, applied.get("cpuWeight").asInt());
    }

    /**
     * A change that finds the server busy (its lock held, as an action run from the command line on the host holds it) is
     * sent again by its next attempt, which does not count towards giving up, until it is taken; the panel then records
     * what the agent holds. Before, the busy answer counted as a refusal, so the change failed; and where the action it found was
     * the same change, sent before and its answer lost, that change landed after the panel had recorded the limits it replaced.
     */
    @Test
    void aChangeThatFindsTheServerBusyIsSentAgainUntilTaken() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("e2e-busy", 2), "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "busy");
        int op;
        try (FileChannel lock = FileChannel.open(agent.state.resolve("locks").resolve(id + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            op = Api.as("cleo").body("{\"pids\":300}").put("/api/v1/servers/" + id + "/limits").then().statusCode(202).extract().path("id");
            Await.until("a second attempt, the first having found the server busy", () -> attempts(op, "attempts") >= 2);
            assertTrue(attempts(op, "busy_attempts") >= 1, "not counted towards giving up");
            assertNotEquals(300, agentLimits(id).get("pids").asInt());
        }
        Await.operation(op, "succeeded");
        assertEquals(300, agentLimits(id).get("pids").asInt());
        assertEquals(300, Api.as("cleo").get("/api/v1/servers/" + id).then().extract().<Integer>path("limits.pids"), "what the agent holds");
    }

    /** column: attempts, or those that found the server busy. */
    private long attempts(int operation, String column) {
        return Db.number(db, "select " + column + " from operation where id = " + operation);
    }

    @Test
    void thePlansBandwidthAndDiskIoReachTheAgentAndFollowAPlanChange() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        int plan = admin.plan("e2e-rates", 2);
        String planBody = Api.as("ada").get("/api/v1/plans/" + plan).then().extract().asString();
        Api.as("ada").body(planBody.replace("\"serverNetworkInMbit\":0", "\"serverNetworkInMbit\":100")
                        .replace("\"serverDiskIops\":0", "\"serverDiskIops\":2000")).put("/api/v1/plans/" + plan).then().statusCode(200);
        admin.tenant("Acme", "acme", plan, "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "rated");
        var applied = agentLimits(id);
        assertEquals(100, applied.get("networkInMbit").asInt(), applied.toString());
        assertEquals(0, applied.get("networkOutMbit").asInt());
        assertEquals(0, applied.get("diskMiBps").asInt());
        assertEquals(2000, applied.get("diskIops").asInt());
        BrowserSession cleo = new BrowserSession(panel.toString());
        String page = cleo.signIn("/servers/" + id, "cleo", "cleo-password").body();
        assertTrue(page.contains("100 Mbit/s in, no limit out") && page.contains("no MiB/s limit, 2,000 IOPS"), page);

        // the admin changes the plan: its running server gets the new rates, its own limits stay
        planBody = Api.as("ada").get("/api/v1/plans/" + plan).then().extract().asString();
        Api.as("ada").body(planBody.replace("\"serverNetworkOutMbit\":0", "\"serverNetworkOutMbit\":30")
                .replace("\"serverDiskMiBps\":0", "\"serverDiskMiBps\":40")).put("/api/v1/plans/" + plan).then().statusCode(200);
        Await.until("the plan's new rates on the agent", () -> agentLimits(id).get("diskMiBps").asInt() == 40);
        applied = agentLimits(id);
        assertEquals(30, applied.get("networkOutMbit").asInt());
        assertEquals(100, applied.get("networkInMbit").asInt());
        assertEquals(2000, applied.get("diskIops").asInt());
        assertEquals(Api.as("cleo").get("/api/v1/servers/" + id).then().extract().<Integer>path("limits.memoryMiB"),
                applied.get("memoryMiB").asInt(), "its own limits are sent unchanged");
        assertEquals("running", agent.state(id));

        // the tenant moves to a plan without limits: its server's are lifted
        int unlimited = admin.plan("e2e-unlimited", 2);
        int tenant = Api.as("ada").get("/api/v1/tenants").then().extract().path("items.find { it.slug == 'acme' }.id");
        Api.as("ada").body("{\"name\":\"Acme\",\"slug\":\"acme\",\"planId\":" + unlimited + "}").put("/api/v1/tenants/" + tenant)
                .then().statusCode(200);
        Await.until("the unlimited plan's rates on the agent", () -> agentLimits(id).get("diskMiBps").asInt() == 0);
        applied = agentLimits(id);
        assertEquals(0, applied.get("networkInMbit").asInt() + applied.get("networkOutMbit").asInt() + applied.get("diskIops").asInt());
    }

    private com.fasterxml.jackson.databind.JsonNode agentLimits(int id) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.get("/v1/servers/" + id).body()).get("limits");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyExecIsAuditedAndASuspendedTenantsUsersCanNeitherExecNorReadIsolation() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("e2e-exec", 2), "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "box");
        String exec = "/api/v1/servers/" + id + "/exec";
        Api.as("cleo").body("{\"command\":[\"sh\",\"-c\",\"exit 3\"]}").post(exec).then().statusCode(200).body("exitCode", equalTo(3));
        Api.as("cleo").body("{\"command\":[\"sleep\",\"30\"],\"timeoutSeconds\":1}").post(exec).then().statusCode(200)
                .body("timedOut", equalTo(true));
        assertEquals(List.of("cleo: command [\"sh\",\"-c\",\"exit 3\"]: exit code 3"), execs(id).subList(1, 2));
        assertTrue(execs(id).get(0).startsWith("cleo: command [\"sleep\",\"30\"]: timed out after 1 s, exit code "), execs(id).get(0));

        setStatus("acme", Tenant.Status.suspended);
        Api.as("cleo").body("{\"command\":[\"hostname\"]}").post(exec).then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("suspended"));
        Api.as("cleo").get("/api/v1/servers/" + id + "/isolation").then().statusCode(403);
        assertEquals(2, execs(id).size(), "a refused exec never reached the host");
        // admins keep both
        Api.as("ada").body("{\"command\":[\"hostname\"]}").post(exec).then().statusCode(200).body("stdout", equalTo("box\n"));
        Api.as("ada").get("/api/v1/servers/" + id + "/isolation").then().statusCode(200).body("seccomp", equalTo(true));
        assertEquals("ada: command [\"hostname\"]: exit code 0", execs(id).get(0));

        // an exec the host refuses is audited with its reason
        setStatus("acme", Tenant.Status.active);
        Api.as("cleo").post("/api/v1/servers/" + id + "/stop").then().statusCode(202);
        Await.observed(id, "stopped");
        Api.as("cleo").body("{\"command\":[\"hostname\"]}").post(exec).then().statusCode(409);
        assertTrue(execs(id).get(0).startsWith("cleo: command [\"hostname\"]: refused: host local: ") && execs(id).get(0).contains("stopped"),
                execs(id).get(0));
    }

    /** The server's exec events in the audit log, newest first: who, and the details. */
    static List<String> execs(int id) {
        List<Map<String, Object>> items = Api.as("ada").get("/api/v1/audit?size=200").then().statusCode(200).extract().path("items");
        return items.stream().filter(e -> "server.exec".equals(e.get("action")) && ("server/" + id).equals(e.get("target")))
                .map(e -> e.get("actor") + ": " + e.get("details")).toList();
    }

    @Transactional
    void setStatus(String slug, Tenant.Status status) {
        Tenant.update("status = ?1 where slug = ?2", status, slug);
    }
}
