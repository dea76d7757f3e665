package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.operation.OperationSteps;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordering a server of a plan with a network takes an address in the order's transaction; a full pool
 * refuses the order with nothing reserved; destroy gives the address back when it has completed,
 * reinstall keeps it; concurrent orders never share one. The worker is off: its steps are taken here.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NetworkOrderTest {
    static final String ORDER = "{\"hostname\":\"%s\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
    @Inject
    Fixtures fixtures;
    @Inject
    OperationSteps steps;
    @TestHTTPResource("/")
    URL panel;
    Host host;
    int network;

    @BeforeEach
    void world() {
        plans("private");
        host = fixtures.host("host-a", 64, 1_000_000, 10_000_000);
        network = Api.as("ada").body("""
                {"name":"priv1","kind":"private","ipv4Prefix":"198.51.100.0/24","gateway4":"198.51.100.1",
                 "ipv6Prefix":"2001:db8:7::/64","gateway6":"2001:db8:7::1","resolvers":["198.51.100.53"]}""")
                .post("/api/v1/networks").then().statusCode(201).extract().path("id");
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + host.id).then().statusCode(200);
        Api.as("ada").body("{\"first\":\"2001:db8:7::10\",\"last\":\"2001:db8:7::ff\"}").post("/api/v1/networks/" + network + "/pools")
                .then().statusCode(201);
    }

    @Transactional
    void plans(String network) {
        fixtures.wipe();
        Plan plan = fixtures.plan(25, 100_000, 100, 1_000_000);
        plan.network = network;
        fixtures.tenant("acme", plan);
        TestKeycloak.get().joinTenant("cleo", "acme");
    }

    void pool(String first, String last) {
        Api.as("ada").body("{\"first\":\"" + first + "\",\"last\":\"" + last + "\"}").post("/api/v1/networks/" + network + "/pools")
                .then().statusCode(201);
    }

    int order(String hostname) {
        return Api.as("cleo").body(ORDER.formatted(hostname)).post("/api/v1/servers").then().statusCode(201).extract().path("id");
    }

    String ipv4(int server) {
        return Api.as("cleo").get("/api/v1/servers/" + server).then().statusCode(200).extract().path("network.ipv4");
    }

    int operation(int server, String kind) {
        return Api.as("ada").get("/api/v1/operations?serverId=" + server).then().extract()
                .path("items.find { it.kind == '" + kind + "' }.id");
    }

    @Test
    void anOrderTakesAnAddressOfTheHostsNetworkAndTheServerShowsIt() {
        pool("198.51.100.1", "198.51.100.20"); // the gateway is in the range, never handed out
        var created = Api.as("cleo").body(ORDER.formatted("web")).post("/api/v1/servers").then().statusCode(201)
                .body("network.name", equalTo("priv1")).body("network.kind", equalTo("private"))
                .body("network.ipv4", equalTo("198.51.100.2/24")).body("network.ipv6", equalTo("2001:db8:7::10/64"))
                .body("network.gateway4", equalTo("198.51.100.1")).body("network.resolvers[0]", equalTo("198.51.100.53"))
                .extract();
        int id = created.path("id");
        // the list and the detail read the server and its addresses in one statement each; the order's answer comes from its entity
        Map<String, Object> detail = Api.as("cleo").get("/api/v1/servers/" + id).then().statusCode(200).extract().path("");
        assertEquals(created.path("network"), detail.get("network"));
        assertEquals(detail, Api.as("cleo").get("/api/v1/servers").then().extract().path("items[0]"));
        Api.as("ada").get("/api/v1/networks/" + network).then().body("pools[0].used", equalTo(1)).body("servers", equalTo(1));
        BrowserSession cleo = new BrowserSession(panel.toString());
        String page = cleo.signIn("/servers/" + id, "cleo", "cleo-password").body();
        assertTrue(page.contains("198.51.100.2/24") && page.contains("2001:db8:7::10/64") && page.contains("network priv1"), page);
    }

    @Test
    void firewallChangesInARowShareTheQueuedOperationAndAFailedOneLeavesALaterChangeSaved() {
        pool("198.51.100.10", "198.51.100.20");
        int a = order("a");
        steps.succeed(operation(a, "create"), VirtualServer.Observed.running);
        String closed = "{\"defaultInbound\":\"deny\",\"rules\":[]}";
        String ssh = "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"22\"}]}";
        String web = "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"443\"}]}";
        int first = firewall(a, closed), second = firewall(a, ssh);
        assertEquals(first, second, "a change while the last is queued joins it: a loop of changes costs one operation");
        assertEquals(List.of("22"), Api.as("cleo").get("/api/v1/servers/" + a + "/firewall").then().extract().path("rules.ports"));

        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isPresent(), "a worker takes it");
        int third = firewall(a, web);
        assertNotEquals(first, third, "once taken, the next change is an operation of its own");
        steps.fail(first, "the host was restarting");
        assertEquals(List.of("443"), Api.as("cleo").get("/api/v1/servers/" + a + "/firewall").then().extract().path("rules.ports"),
                "the failed one does not put back what it replaced over the later change, which sends what was saved last");
        steps.fail(third, "the host was restarting");
        assertEquals(List.of("22"), Api.as("cleo").get("/api/v1/servers/" + a + "/firewall").then().extract().path("rules.ports"),
                "the last to fail puts back what it replaced");
    }

    int firewall(int server, String firewall) {
        return Api.as("cleo").body(firewall).put("/api/v1/servers/" + server + "/firewall").then().statusCode(202).extract().path("id");
    }

    @Test
    void aHostsUplinkStaysWhileItsServersHoldTheNetworksAddressesAndTheirCustomerNeverSeesIt() {
        setPlanNetwork("public");
        int pub = Api.as("ada").body("{\"name\":\"pub1\",\"kind\":\"public\",\"ipv4Prefix\":\"203.0.113.0/24\",\"gateway4\":\"203.0.113.1\"}")
                .post("/api/v1/networks").then().statusCode(201).extract().path("id");
        String attachment = "/api/v1/networks/" + pub + "/hosts/" + host.id;
        Api.as("ada").body("{\"uplink\":\"eth1\"}").put(attachment).then().statusCode(200);
        Api.as("ada").body("{\"first\":\"203.0.113.10\",\"last\":\"203.0.113.20\"}").post("/api/v1/networks/" + pub + "/pools").then().statusCode(201);
        int a = order("a");

        for (String change : List.of("{\"uplink\":\"eth2\"}", "{\"uplink\":\"\"}", "{}")) {
            Api.as("ada").body(change).put(attachment).then().statusCode(409).contentType("application/problem+json").body("field", equalTo("uplink"))
                    .body("detail", equalTo("uplink: servers " + a + " on host host-a hold addresses of network pub1, answered on uplink eth1: "
                            + "it changes once they are destroyed"));
        }
        Api.as("ada").body("{\"uplink\":\"eth1\"}").put(attachment).then().statusCode(200).body("hosts[0].uplink", equalTo("eth1"));
        Api.as("ada").get("/api/v1/networks/" + pub).then().body("hosts[0].uplink", equalTo("eth1")).body("servers", equalTo(1));

        // the server's network as its customer reads it: the API, the list and the page, without the host's interface
        String detail = Api.as("cleo").get("/api/v1/servers/" + a).then().statusCode(200).body("network.ipv4", equalTo("203.0.113.10/24"))
                .extract().asString();
        String list = Api.as("cleo").get("/api/v1/servers").then().statusCode(200).extract().asString();
        String page = new BrowserSession(panel.toString()).signIn("/servers/" + a, "cleo", "cleo-password").body();
        for (String seen : List.of(detail, list, page)) {
            assertTrue(seen.contains("203.0.113.10") && !seen.contains("eth1") && !seen.toLowerCase().contains("uplink"), seen);
        }

        Api.as("cleo").delete("/api/v1/servers/" + a).then().statusCode(202);
        Api.as("ada").body("{\"uplink\":\"eth2\"}").put(attachment).then().statusCode(409);
        steps.succeed(operation(a, "destroy"), VirtualServer.Observed.destroyed);
        Api.as("ada").body("{\"uplink\":\"eth2\"}").put(attachment).then().statusCode(200).body("hosts[0].uplink", equalTo("eth2"));
    }

    @Test
    void aFullPoolRefusesTheOrderNamingTheNetworkAndNothingIsReserved() {
        pool("198.51.100.10", "198.51.100.12");
        for (String name : List.of("a", "b", "c")) {
            order(name);
        }
        Api.as("cleo").body(ORDER.formatted("d")).post("/api/v1/servers").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("network priv1 has no free IPv4 address: its pools' 3 are all taken; nothing was reserved"));
        assertEquals(3, VirtualServer.count("desiredState <> ?1", VirtualServer.Desired.destroyed), "no server row for the refused order");
        assertEquals(3, Operation.count(), "no operation queued for it");
        assertEquals(6L, addresses(), "three servers, an IPv4 and an IPv6 address each");
    }

    @Test
    void destroyGivesTheAddressBackWhenItHasCompletedAndReinstallKeepsIt() {
        pool("198.51.100.10", "198.51.100.20");
        int a = order("a");
        steps.succeed(operation(a, "create"), VirtualServer.Observed.running);
        Api.as("cleo").post("/api/v1/servers/" + a + "/reinstall").then().statusCode(202);
        steps.succeed(operation(a, "reinstall"), VirtualServer.Observed.running);
        assertEquals("198.51.100.10/24", ipv4(a), "reinstall keeps the address");

        Api.as("cleo").delete("/api/v1/servers/" + a).then().statusCode(202);
        // until the agent has destroyed it, the address is still the server's: neither given to another nor its network deletable
        assertEquals("198.51.100.11/24", ipv4(order("b")));
        Api.as("ada").delete("/api/v1/networks/" + network).then().statusCode(409).body("detail", containsString("is in use: servers " + a + ", "));
        Api.as("ada").delete("/api/v1/networks/" + network + "/hosts/" + host.id).then().statusCode(409)
                .body("detail", containsString("on host host-a hold addresses of network priv1"));
        steps.succeed(operation(a, "destroy"), VirtualServer.Observed.destroyed);
        assertEquals("198.51.100.10/24", ipv4(order("c")), "the destroyed server's address is free again");
    }

    @Test
    void aFailedCreateGivesItsAddressBack() {
        pool("198.51.100.10", "198.51.100.10");
        int a = order("a");
        steps.fail(operation(a, "create"), "host host-a: unknown template");
        assertEquals(0L, addresses());
        assertEquals("198.51.100.10/24", ipv4(order("b")));
    }

    @Test
    void aPlanWhoseKindNoHostHasIsRefusedWithNothingReserved() {
        pool("198.51.100.10", "198.51.100.20");
        setPlanNetwork("public");
        Api.as("cleo").body(ORDER.formatted("a")).post("/api/v1/servers").then().statusCode(503)
                .body("detail", containsString("no host that takes servers has a public network"));
        setPlanNetwork("none");
        Api.as("cleo").body(ORDER.formatted("b")).post("/api/v1/servers").then().statusCode(201).body("network", org.hamcrest.Matchers.nullValue());
        assertEquals(0L, addresses());
    }

    @Transactional
    void setPlanNetwork(String network) {
        Plan.update("network = ?1", network);
    }

    @Test
    void twentyParallelOrdersGetTwentyDifferentAddresses() throws Exception {
        pool("198.51.100.10", "198.51.100.39");
        assertEquals(Map.of(201, 20L), QuotaRaceTest.statuses(orders(20)));
        @SuppressWarnings("unchecked")
        List<String> taken = VirtualServer.getEntityManager().createNativeQuery("select host(address) from server_address where family(address) = 4")
                .getResultList();
        assertEquals(20, taken.size());
        assertEquals(20, new HashSet<>(taken).size(), "no address twice: " + taken);
    }

    @Test
    void twentyParallelOrdersForFiveFreeAddressesGiveFiveServers() throws Exception {
        pool("198.51.100.10", "198.51.100.14");
        assertEquals(Map.of(201, 5L, 409, 15L), QuotaRaceTest.statuses(orders(20)));
        assertEquals(5, VirtualServer.count("desiredState <> ?1", VirtualServer.Desired.destroyed));
        assertEquals(5, Operation.count());
        assertEquals(10L, addresses());
    }

    List<Callable<Integer>> orders(int n) {
        List<Callable<Integer>> orders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = ORDER.formatted("web" + i);
            orders.add(() -> Api.as("cleo").body(body).post("/api/v1/servers").statusCode());
        }
        return orders;
    }

    long addresses() {
        return ((Number) VirtualServer.getEntityManager().createNativeQuery("select count(*) from server_address").getSingleResult()).longValue();
    }
}
