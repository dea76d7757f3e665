package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.operation.Operation;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A customer orders, changes and destroys servers; the plan, the hosts and the other tenants set the limits. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ServerApiTest {
    @Inject
    Fixtures fixtures;

    @BeforeEach
    @Transactional
    void world() {
        fixtures.wipe();
        Plan small = fixtures.plan(2, 2048, 2, 20480);
        fixtures.tenant("acme", small);
        fixtures.tenant("globex", small);
        TestKeycloak.get().joinTenant("cleo", "acme");
        TestKeycloak.get().joinTenant("gus", "globex");
        fixtures.host("host-a", 2, 4096, 100_000);
    }

    static String order(String hostname, int memoryMiB) {
        return "{\"hostname\":\"" + hostname + "\",\"template\":\"busybox\",\"memoryMiB\":" + memoryMiB
                + ",\"cpus\":0.5,\"diskMiB\":1024}";
    }

    static int create(String body) {
        return Api.as("cleo").body(body).when().post("/api/v1/servers")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void aCustomerOrdersAServerWhichIsPlacedAndQueued() {
        int id = create(order("web1", 512));
        Api.as("cleo").when().get("/api/v1/servers/" + id).then().statusCode(200)
                .body("hostname", equalTo("web1")).body("tenant", equalTo("acme")).body("host", equalTo("host-a"))
                .body("desiredState", equalTo("running")).body("observedState", equalTo("creating"))
                .body("limits.memoryMiB", equalTo(512));
        Api.as("cleo").when().get("/api/v1/operations?serverId=" + id).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].kind", equalTo("create")).body("items[0].status", equalTo("queued"))
                .body("items[0].requestedBy", equalTo("cleo"));
        Api.as("cleo").when().get("/api/v1/servers").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void quotasRefuseWithTheQuotaAndTheExcess() {
        create(order("web1", 1536));
        Api.as("cleo").contentType(ContentType.JSON).body(order("web2", 1024)).when().post("/api/v1/servers")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("limits.memoryMiB"))
                .body("detail", containsString("allows 2048 MiB of memory in all; 1536 are in use, so 1024 more would be 512 over"));
        create(order("web2", 256));
        Api.as("cleo").contentType(ContentType.JSON).body(order("web3", 16)).when().post("/api/v1/servers")
                .then().statusCode(422).body("field", equalTo("servers")).body("detail", containsString("allows 2 servers"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("big", 4096)).when().post("/api/v1/servers")
                .then().statusCode(422).body("detail", containsString("per server"));
        assertEquals(2, VirtualServer.count("desiredState <> ?1", VirtualServer.Desired.destroyed), "nothing reserved by refusals");
    }

    @Test
    void badInputIsRefusedWithTheField() {
        Api.as("cleo").contentType(ContentType.JSON).body(order("-bad-", 512)).when().post("/api/v1/servers")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("hostname"))
                .body("detail", containsString("RFC 1123"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("ok", 4)).when().post("/api/v1/servers")
                .then().statusCode(400).body("field", equalTo("memoryMiB"));
        Api.as("cleo").contentType(ContentType.JSON).body("{\"hostname\":\"x\",\"template\":\"../etc\"}").when().post("/api/v1/servers")
                .then().statusCode(400).body("field", equalTo("template"));
        Api.as("cleo").contentType(ContentType.JSON).body("[1,2]").when().post("/api/v1/servers").then().statusCode(400);
        assertEquals(0, VirtualServer.count());
    }

    @Test
    void anInternationalisedHostNameIsStoredInAsciiAndShownAsEntered() {
        int id = create(order("ウェブ.example.jp", 64));
        Api.as("cleo").when().get("/api/v1/servers/" + id).then().statusCode(200)
                .body("hostname", equalTo("xn--gckc5l.example.jp")).body("unicodeHostname", equalTo("ウェブ.example.jp"));
        assertEquals("xn--gckc5l.example.jp", VirtualServer.<VirtualServer>findById((long) id).hostname, "stored in its ASCII form");
        // UTS #46 keeps ß a letter of its own, as registries and browsers do (IDNA2003 made it "ss", another name)
        int german = create(order("faß.example", 64));
        Api.as("cleo").when().get("/api/v1/servers/" + german).then().body("hostname", equalTo("xn--fa-hia.example"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("\u202Eevil.example", 64)).when().post("/api/v1/servers")
                .then().statusCode(400).body("field", equalTo("hostname")).body("detail", containsString("disallowed"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("ウ".repeat(60) + ".example", 64)).when().post("/api/v1/servers")
                .then().statusCode(400).body("field", equalTo("hostname")).body("detail", containsString("label too long"));
    }

    @Test
    void aPageBeyondTheEndIsEmptyAndBadPagingNamesTheParameter() {
        create(order("web1", 64));
        for (String list : new String[] {"/api/v1/servers", "/api/v1/operations"}) {
            Api.as("cleo").when().get(list + "?page=2147483647&size=200").then().statusCode(200)
                    .body("items", hasSize(0)).body("page", equalTo(2147483647)).body("total", equalTo(1));
            Api.as("cleo").when().get(list + "?page=0&size=1").then().statusCode(200).body("items", hasSize(1));
            for (String page : new String[] {"2147483648", "-1", "9223372036854775808", "1e400", "one"}) {
                Api.as("cleo").when().get(list + "?page=" + page).then().statusCode(400).contentType("application/problem+json")
                        .body("field", equalTo("page")).body("detail", equalTo("page: must be a whole number from 0 to 2147483647"));
            }
            for (String size : new String[] {"0", "201", "-2147483649"}) {
                Api.as("cleo").when().get(list + "?size=" + size).then().statusCode(400)
                        .body("field", equalTo("size")).body("detail", equalTo("size: must be a whole number from 1 to 200"));
            }
        }
        Api.as("cleo").when().get("/api/v1/operations?serverId=abc").then().statusCode(400).body("field", equalTo("serverId"));
    }

    @Test
    void noHostWithRoomMeansAClearErrorAndNothingReserved() {
        markHostsDown();
        Api.as("cleo").contentType(ContentType.JSON).body(order("web1", 512)).when().post("/api/v1/servers")
                .then().statusCode(503).body("detail", containsString("no host has room")).body("detail", containsString("nothing was reserved"));
        assertEquals(0, VirtualServer.count());
    }

    @Transactional
    void markHostsDown() {
        Host.update("status = ?1", Host.Status.draining);
    }

    @Test
    void actionsAreQueuedAsOperationsAndIdempotencyKeysAreHonoured() {
        int id = create(order("web1", 512));
        int op = Api.as("cleo").header("Idempotency-Key", "stop-1").when().post("/api/v1/servers/" + id + "/stop")
                .then().statusCode(202).header("Location", containsString("/api/v1/operations/")).body("kind", equalTo("stop"))
                .extract().path("id");
        Api.as("cleo").header("Idempotency-Key", "stop-1").when().post("/api/v1/servers/" + id + "/stop")
                .then().statusCode(202).body("id", equalTo(op));
        Api.as("cleo").when().get("/api/v1/servers/" + id).then().body("desiredState", equalTo("stopped"));
        Api.as("cleo").contentType(ContentType.JSON).body("{\"memoryMiB\":4096}").when().put("/api/v1/servers/" + id + "/limits")
                .then().statusCode(422).body("field", equalTo("limits.memoryMiB"));
        Api.as("cleo").contentType(ContentType.JSON).body("{\"memoryMiB\":1024}").when().put("/api/v1/servers/" + id + "/limits")
                .then().statusCode(202).body("kind", equalTo("limits"));
        Api.as("cleo").when().get("/api/v1/servers/" + id).then().body("limits.memoryMiB", equalTo(1024));
        Api.as("cleo").when().delete("/api/v1/servers/" + id).then().statusCode(202).body("kind", equalTo("destroy"));
        Api.as("cleo").when().get("/api/v1/servers/" + id).then().statusCode(404);
        assertEquals(4, Operation.count("server.id", (long) id));
    }

    @Test
    void aTenantNeverSeesOrTouchesAnotherTenantsServers() {
        long other = serverOf("acme");
        Api.as("gus").when().get("/api/v1/servers/" + other).then().statusCode(404);
        Api.as("gus").when().post("/api/v1/servers/" + other + "/stop").then().statusCode(404);
        Api.as("gus").when().delete("/api/v1/servers/" + other).then().statusCode(404);
        Api.as("gus").contentType(ContentType.JSON).body("{\"memoryMiB\":64}").when().put("/api/v1/servers/" + other + "/limits").then().statusCode(404);
        Api.as("gus").contentType(ContentType.JSON).body("{\"command\":[\"hostname\"]}").when().post("/api/v1/servers/" + other + "/exec").then().statusCode(404);
        Api.as("gus").when().get("/api/v1/servers").then().body("total", equalTo(0));
        Api.as("gus").when().get("/api/v1/operations").then().body("total", equalTo(0));
        Api.as("gus").contentType(ContentType.JSON).body(order("web1", 64)).when().post("/api/v1/servers?tenantId=" + tenantId("acme"))
                .then().statusCode(400).body("field", equalTo("tenantId"));
        assertEquals(VirtualServer.Desired.running, VirtualServer.<VirtualServer>findById(other).desiredState, "unchanged");
    }

    @Test
    void customersCannotReachAdminEndpoints() {
        Api.as("gus").when().get("/api/v1/hosts").then().statusCode(403);
        Api.as("gus").when().get("/api/v1/tenants").then().statusCode(403);
        Api.as("gus").when().get("/api/v1/audit").then().statusCode(403);
        Api.as("gus").when().post("/api/v1/tenants/" + tenantId("acme") + "/suspend").then().statusCode(403);
    }

    @Test
    void aSuspendedTenantCannotManageItsServers() {
        long id = serverOf("acme");
        suspend("acme");
        Api.as("cleo").when().post("/api/v1/servers/" + id + "/stop").then().statusCode(403).body("detail", containsString("suspended"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("web2", 64)).when().post("/api/v1/servers").then().statusCode(403);
    }

    @Transactional
    void suspend(String slug) {
        Tenant.update("status = ?1 where slug = ?2", Tenant.Status.suspended, slug);
    }

    @Transactional
    long tenantId(String slug) {
        return Tenant.findBySlug(slug).orElseThrow().id;
    }

    @Transactional
    long serverOf(String slug) {
        return fixtures.server(Tenant.findBySlug(slug).orElseThrow(), Host.findByName("host-a").orElseThrow(), "theirs",
                VirtualServer.Observed.running).id;
    }
}
