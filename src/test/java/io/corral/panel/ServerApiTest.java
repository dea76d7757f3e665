package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.corral.panel.host.Host;
import io.corral.panel.server.Operation;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A customer orders, changes and destroys servers; the plan, the hosts and the other tenants set the limits. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ServerApiTest {
    @Inject
    Fixtures fixtures;
    @TestHTTPResource("/")
    java.net.URL panel;

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
        // never more than a host agent takes, whatever the plan
        Api.as("cleo").contentType(ContentType.JSON).body("{\"hostname\":\"x\",\"template\":\"busybox\",\"swapMiB\":1048577}")
                .when().post("/api/v1/servers").then().statusCode(400).body("field", equalTo("swapMiB"));
        // two decimals, as the panel keeps them: a third is refused rather than rounded away from what the agent would hold
        Api.as("cleo").contentType(ContentType.JSON).body("{\"hostname\":\"x\",\"template\":\"busybox\",\"cpus\":0.555}")
                .when().post("/api/v1/servers").then().statusCode(400).body("field", equalTo("cpus"))
                .body("detail", containsString("2 after"));
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
    void everyPageKnowsTheTotalWhetherFullPartOrPastTheEnd() {
        serversOfAcme(5);
        record Expect(int page, int size, int items) {
        }
        for (Expect e : List.of(new Expect(0, 5, 5), new Expect(0, 4, 4), new Expect(1, 4, 1), new Expect(1, 5, 0),
                new Expect(2, 2, 1), new Expect(3, 2, 0), new Expect(0, 200, 5), new Expect(0, 6, 5))) {
            Api.as("cleo").when().get("/api/v1/servers?page=" + e.page() + "&size=" + e.size()).then().statusCode(200)
                    .body("items", hasSize(e.items())).body("total", equalTo(5));
        }
        Api.as("gus").when().get("/api/v1/servers?page=1&size=1").then().body("items", hasSize(0)).body("total", equalTo(0));
    }

    @Transactional
    void serversOfAcme(int count) {
        Host host = Host.findByName("host-a").orElseThrow();
        for (int i = 0; i < count; i++) {
            fixtures.server(Tenant.findBySlug("acme").orElseThrow(), host, "web" + i, VirtualServer.Observed.running);
        }
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
        // nor run commands in them, nor read how they are held in
        Api.as("cleo").body("{\"command\":[\"hostname\"]}").post("/api/v1/servers/" + id + "/exec")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("acme is suspended"));
        Api.as("cleo").get("/api/v1/servers/" + id + "/isolation").then().statusCode(403).body("detail", containsString("suspended"));
        // admins keep both: the panel asks the server's host (here one that does not answer) and audits the failure
        Api.as("ada").body("{\"command\":[\"hostname\"]}").post("/api/v1/servers/" + id + "/exec")
                .then().statusCode(503).body("detail", containsString("cannot be reached"));
        Api.as("ada").get("/api/v1/servers/" + id + "/isolation").then().statusCode(503);
        Api.as("ada").get("/api/v1/audit").then().body("items.findAll { it.action == 'server.exec' }.actor", equalTo(List.of("ada")))
                .body("items.find { it.action == 'server.exec' }.target", equalTo("server/" + id))
                .body("items.find { it.action == 'server.exec' }.details", startsWith("command [\"hostname\"]: failed: host host-a"));
    }

    @Test
    void aHostRunningAsManyCommandsAsItTakesAnswers429WithItsReason() throws Exception {
        String reason = "server 1 runs 4 commands, as many as it may at once; try again when one has ended";
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/v1/servers", exchange -> {
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"" + reason + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(429, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        try {
            long id = serverOnAgentAt("http://127.0.0.1:" + agent.getAddress().getPort());
            Api.as("cleo").body("{\"command\":[\"sleep\",\"1\"]}").post("/api/v1/servers/" + id + "/exec")
                    .then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429))
                    .body("detail", equalTo("host host-a: " + reason));
            Api.as("ada").get("/api/v1/audit").then().body("items.find { it.action == 'server.exec' }.details",
                    equalTo("command [\"sleep\",\"1\"]: refused: host host-a: " + reason));
        } finally {
            agent.stop(0);
        }
    }

    @Transactional
    long serverOnAgentAt(String url) {
        Host host = Host.findByName("host-a").orElseThrow();
        host.agentUrl = url;
        return fixtures.server(Tenant.findBySlug("acme").orElseThrow(), host, "busy", VirtualServer.Observed.running).id;
    }

    /** One limit a customer sets: the bounded plan's quota of it per server and in all (half a server more), and the least a server takes. */
    record Bound(String field, String unit, String perServer, String inAll, String least, String step) {
        String over(String value) {
            return plain(new BigDecimal(value).add(new BigDecimal(step)));
        }
    }

    static final List<Bound> BOUNDS = List.of(
            new Bound("memoryMiB", "MiB of memory", "1024", "1536", "16", "1"),
            new Bound("swapMiB", "MiB of swap", "512", "768", "0", "1"),
            new Bound("cpus", "CPUs", "1", "1.5", "0.01", "0.01"),
            new Bound("cpuWeight", "CPU weight", "200", "300", "1", "1"),
            new Bound("pids", "processes", "1000", "1500", "8", "1"),
            new Bound("diskMiB", "MiB of disk", "4096", "6144", "64", "1"));

    @Transactional
    void useBoundedPlan(String slug) {
        Plan p = fixtures.plan(3, 1536, 1.5, 6144);
        p.name = "bounded";
        p.serverMaxMemoryMib = 1024;
        p.maxSwapMib = 768;
        p.serverMaxSwapMib = 512;
        p.serverMaxCpus = BigDecimal.ONE;
        p.maxCpuWeight = 300;
        p.serverMaxCpuWeight = 200;
        p.maxPids = 1500;
        p.serverMaxPids = 1000;
        p.serverMaxDiskMib = 4096;
        Tenant.findBySlug(slug).orElseThrow().plan = Plan.findById(p.id);
    }

    static String limits(Function<Bound, String> value) {
        return BOUNDS.stream().map(b -> "\"" + b.field() + "\":" + value.apply(b)).collect(Collectors.joining(","));
    }

    static String ordering(String hostname, String limits) {
        return "{\"hostname\":\"" + hostname + "\",\"template\":\"busybox\"," + limits + "}";
    }

    static String minus(String a, String b) {
        return plain(new BigDecimal(a).subtract(new BigDecimal(b)));
    }

    static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    static void refused(io.restassured.response.Response answer, Bound b, String detail) {
        answer.then().statusCode(422).contentType("application/problem+json").body("field", equalTo("limits." + b.field()))
                .body("detail", equalTo("limits." + b.field() + ": plan 'bounded' allows " + detail));
    }

    @Test
    void everyLimitIsBoundedByThePlanPerServerAndInAllOnOrderAndOnChange() {
        useBoundedPlan("acme");
        create(ordering("full", limits(Bound::perServer))); // the most one server may have of every limit
        for (Bound b : BOUNDS) {
            String over = b.over(b.perServer());
            refused(Api.as("cleo").body(ordering("big", limits(x -> x == b ? over : x.least()))).post("/api/v1/servers"), b,
                    b.perServer() + " " + b.unit() + " per server; asked for " + over);
            String past = b.over(minus(b.inAll(), b.perServer()));
            refused(Api.as("cleo").body(ordering("more", limits(x -> x == b ? past : x.least()))).post("/api/v1/servers"), b,
                    b.inAll() + " " + b.unit() + " in all; " + b.perServer() + " are in use, so " + past + " more would be " + b.step() + " over");
        }
        int small = create(ordering("small", limits(Bound::least)));
        String held = "/api/v1/servers/" + small + "/limits";
        for (Bound b : BOUNDS) {
            String over = b.over(b.perServer());
            refused(Api.as("cleo").body("{\"" + b.field() + "\":" + over + "}").put(held), b,
                    b.perServer() + " " + b.unit() + " per server; asked for " + over);
            String past = b.over(minus(b.inAll(), b.perServer())), inUse = plain(new BigDecimal(b.perServer()).add(new BigDecimal(b.least())));
            refused(Api.as("cleo").body("{\"" + b.field() + "\":" + past + "}").put(held), b, b.inAll() + " " + b.unit() + " in all; "
                    + inUse + " are in use, so " + minus(past, b.least()) + " more would be " + b.step() + " over");
        }
        assertEquals(2, VirtualServer.count("desiredState <> ?1", VirtualServer.Desired.destroyed), "no refused order reserved anything");
        assertEquals(0, Operation.count("kind", Operation.Kind.limits), "no refused change was queued for the agent");
        for (Bound b : BOUNDS) {
            assertEquals(b.least(), plain(new BigDecimal(Api.as("cleo").get("/api/v1/servers/" + small).then()
                    .extract().path("limits." + b.field()).toString())), b.field() + " unchanged");
        }
        // exactly what is left in all fits
        Api.as("cleo").body("{" + limits(b -> minus(b.inAll(), b.perServer())) + "}").put(held).then().statusCode(202);
        for (Bound b : BOUNDS) {
            assertEquals(minus(b.inAll(), b.perServer()), plain(new BigDecimal(Api.as("cleo").get("/api/v1/servers/" + small).then()
                    .extract().path("limits." + b.field()).toString())), b.field());
        }
    }

    @Test
    void theOrderFormOffersWhatThePlanStillAllowsAndShowsRefusals() {
        useBoundedPlan("acme");
        create(ordering("full", limits(Bound::perServer)));
        BrowserSession cleo = new BrowserSession(panel.toString());
        String form = cleo.signIn("/servers/new", "cleo", "cleo-password").body();
        assertTrue(form.contains("<b>Swap</b>256 MiB") && form.contains("<b>CPU weight</b>100") && form.contains("<b>Processes</b>500"), form);
        assertTrue(form.contains("512 MiB swap") && form.contains("CPU weight 200") && form.contains("1,000 processes"), form);
        // the suggested server fits what is left: the default 512 processes shrunk to 500
        assertTrue(form.contains("name=\"pids\" type=\"number\" min=\"8\" max=\"1000\" value=\"500\""), form);
        assertTrue(form.contains("name=\"swapMiB\" type=\"number\" min=\"0\" max=\"512\" value=\"0\""), form);
        var refused = cleo.submit("/servers/new", "/servers", java.util.Map.of("hostname", "web2", "template", "busybox", "memoryMiB", "64",
                "swapMiB", "300", "cpus", "0.1", "cpuWeight", "50", "pids", "64", "diskMiB", "64"));
        assertEquals(200, refused.statusCode());
        assertTrue(refused.body().contains("limits.swapMiB: plan") && refused.body().contains("512 are in use, so 300 more would be 44 over"),
                refused.body());
        assertEquals(1, VirtualServer.count("desiredState <> ?1", VirtualServer.Desired.destroyed));
    }

    @Test
    void onlyTemplatesInstalledOnAHostTakingServersAreOfferedAndOrdered() {
        host("host-b", Host.Status.up, "busybox debian");
        host("host-c", Host.Status.draining, "alpine");
        Api.as("cleo").get("/api/v1/templates").then().statusCode(200).body("$", equalTo(List.of("busybox", "debian")));

        int debian = create(order("deb", 512).replace("busybox", "debian"));
        Api.as("cleo").get("/api/v1/servers/" + debian).then().statusCode(200).body("host", equalTo("host-b"));
        Api.as("cleo").contentType(ContentType.JSON).body(order("alp", 512).replace("busybox", "alpine")).post("/api/v1/servers")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("template"))
                .body("detail", equalTo("template: no host that takes new servers has 'alpine'; offered: busybox, debian"));
        assertEquals(1, VirtualServer.count(), "the refused order reserved nothing");

        String form = new BrowserSession(panel.toString()).signIn("/servers/new", "cleo", "cleo-password").body();
        assertTrue(form.contains("value=\"busybox\" selected>BusyBox (tiny)<") && form.contains(">Debian 12<")
                && !form.contains("alpine"), form);
    }

    @Transactional
    void host(String name, Host.Status status, String templates) {
        Host h = fixtures.host(name, 2, 4096, 100_000);
        h.status = status;
        h.templateNames = templates;
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
