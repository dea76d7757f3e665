package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.agent.FirewallSpec;
import io.corral.panel.agent.ForwardSpec;
import io.corral.panel.operation.Held;
import io.corral.panel.operation.OperationSteps;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer's port forwards through the API, the worker off (its steps are taken here): each field checked
 * and named, the plan's limit, the panel's range and its pick of a free port, another tenant's server not
 * found, one host port to one server under 20 requests at once, a failed change putting back what it replaced,
 * and a destroyed server's ports free again once its agent has let go of them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class PortForwardTest {
    static final String ORDER = "{\"hostname\":\"%s\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
    @Inject
    Fixtures fixtures;
    @Inject
    OperationSteps steps;
    Host host;
    int network;
    @TestHTTPResource("/")
    java.net.URL panel;

    @BeforeEach
    void world() {
        plans();
        host = fixtures.host("host-a", 64, 1_000_000, 10_000_000);
        network = Api.as("ada").body("""
                {"name":"priv1","kind":"private","ipv4Prefix":"198.51.100.0/24","gateway4":"198.51.100.1","resolvers":[]}""")
                .post("/api/v1/networks").then().statusCode(201).extract().path("id");
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + host.id).then().statusCode(200);
        Api.as("ada").body("{\"first\":\"198.51.100.10\",\"last\":\"198.51.100.60\"}").post("/api/v1/networks/" + network + "/pools")
                .then().statusCode(201);
    }

    @Transactional
    void plans() {
        fixtures.wipe();
        Plan plan = fixtures.plan(25, 100_000, 100, 1_000_000);
        plan.network = "private";
        fixtures.tenant("acme", plan);
        TestKeycloak.get().joinTenant("cleo", "acme");
        fixtures.tenant("globex", fixtures.plan(1, 1024, 1, 4096));
        TestKeycloak.get().joinTenant("gus", "globex");
    }

    int order(String hostname) {
        return Api.as("cleo").body(ORDER.formatted(hostname)).post("/api/v1/servers").then().statusCode(201).extract().path("id");
    }

    static String path(int server) {
        return "/api/v1/servers/" + server + "/forwards";
    }

    static int put(int server, String forwards) {
        return Api.as("cleo").body("{\"forwards\":" + forwards + "}").put(path(server)).then().statusCode(202).extract().path("id");
    }

    @Test
    void forwardsAreCheckedSavedAndHiddenFromOtherTenants() {
        int a = order("a");
        Api.as("cleo").get(path(a)).then().statusCode(200).body("forwards", equalTo(List.of())).body("hostAddress", equalTo("127.0.0.1"));
        for (String[] bad : new String[][] {
                {"forwards[0].protocol", "[{\"protocol\":\"sctp\",\"hostPort\":20022,\"serverPort\":22}]"},
                {"forwards[0].protocol", "[{\"hostPort\":20022,\"serverPort\":22}]"},
                {"forwards[1].serverPort", "[{\"protocol\":\"tcp\",\"serverPort\":22},{\"protocol\":\"tcp\",\"serverPort\":65536}]"},
                {"forwards[0].serverPort", "[{\"protocol\":\"udp\",\"hostPort\":20053}]"},
                {"forwards[0].hostPort", "[{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":22}]"},
                {"forwards[0].hostPort", "[{\"protocol\":\"tcp\",\"hostPort\":30000,\"serverPort\":22}]"},
                {"forwards[1].hostPort", "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22},{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":80}]"},
                {"forwards[0]", "[null]"},
                // ports are JSON integers: Jackson would read these as 20000 and 22, another port than the one written
                {"forwards[0].hostPort", "[{\"protocol\":\"tcp\",\"hostPort\":20000.9,\"serverPort\":22}]"},
                {"forwards[0].hostPort", "[{\"protocol\":\"tcp\",\"hostPort\":\"20001\",\"serverPort\":22}]"},
                {"forwards[1].serverPort", "[{\"protocol\":\"tcp\",\"serverPort\":22},{\"protocol\":\"tcp\",\"serverPort\":\"22\"}]"},
                {"forwards[0].serverPort", "[{\"protocol\":\"tcp\",\"serverPort\":22.0}]"},
                {"forwards[0].serverPort", "[{\"protocol\":\"tcp\",\"serverPort\":true}]"},
                {"forwards[0].serverPort", "[{\"protocol\":\"tcp\",\"serverPort\":4294967318}]"}}) {
            Api.as("cleo").body("{\"forwards\":" + bad[1] + "}").put(path(a)).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[0])).body("detail", startsWith(bad[0] + ": "));
        }
        Api.as("cleo").get(path(a)).then().body("forwards", equalTo(List.of()));

        put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22},{\"protocol\":\"udp\",\"serverPort\":53},{\"protocol\":\"tcp\",\"serverPort\":80}]");
        Api.as("cleo").get(path(a)).then().body("forwards", equalTo(List.of(
                Map.of("protocol", "tcp", "hostPort", 20000, "serverPort", 80), Map.of("protocol", "tcp", "hostPort", 20022, "serverPort", 22),
                Map.of("protocol", "udp", "hostPort", 20000, "serverPort", 53))));
        Api.as("gus").get(path(a)).then().statusCode(404);
        Api.as("gus").body("{\"forwards\":[]}").put(path(a)).then().statusCode(404);
        Api.as("cleo").get(path(a)).then().body("forwards.size()", equalTo(3));
    }

    @Test
    void thePlanLimitsHowManyAndNoneIsNone() {
        int a = order("a");
        String five = "[" + "{\"protocol\":\"tcp\",\"serverPort\":22},".repeat(4) + "{\"protocol\":\"tcp\",\"serverPort\":22}]";
        Api.as("cleo").body("{\"forwards\":" + five + "}").put(path(a)).then().statusCode(422).body("field", equalTo("forwards"))
                .body("detail", equalTo("forwards: the plan allows at most 4 port forwards per server, got 5"));
        put(a, "[" + "{\"protocol\":\"tcp\",\"serverPort\":22},".repeat(3) + "{\"protocol\":\"tcp\",\"serverPort\":22}]");
        Api.as("cleo").get(path(a)).then().body("forwards.hostPort", equalTo(List.of(20000, 20001, 20002, 20003)));
        setPlanForwards(0);
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"serverPort\":22}]}").put(path(a)).then().statusCode(422)
                .body("detail", equalTo("forwards: the plan allows no port forwards, got 1"));
        put(a, "[]"); // removing them all is always allowed
        Api.as("cleo").get(path(a)).then().body("forwards", equalTo(List.of()));
    }

    @Transactional
    void setPlanForwards(int forwards) {
        Plan.update("serverPortForwards = ?1", forwards);
    }

    @Test
    void twentyServersAskingForOneHostPortAtOnceGiveItToExactlyOne() throws Exception {
        List<Integer> servers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            servers.add(order("web" + i));
        }
        List<Callable<Integer>> requests = new ArrayList<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int server : servers) {
            requests.add(() -> {
                var answer = Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]}").put(path(server));
                if (answer.statusCode() == 409) {
                    refusals.add(answer.jsonPath().getString("field") + " | " + answer.jsonPath().getString("detail"));
                }
                return answer.statusCode();
            });
        }
        assertEquals(Map.of(202, 1L, 409, 19L), QuotaRaceTest.statuses(requests));
        assertEquals(19, refusals.stream().filter(r -> r.equals("forwards[0].hostPort | forwards[0].hostPort: tcp 20022 of this server's host"
                + " is already forwarded to another server; ask for another port or leave hostPort out for a free one")).count(), refusals.toString());
        assertEquals(1L, forwardRows(), "one row for the port");
        // the same number over the other protocol is another port
        put(servers.get(0), "[{\"protocol\":\"udp\",\"hostPort\":20022,\"serverPort\":53}]");
    }

    @Test
    void aFailedChangePutsBackWhatItReplacedAndADestroyedServersPortsAreFreeOnceItIsGone() {
        int[] queued = runningWith20022AndAChangeTo20080Queued();
        int a = queued[0], second = queued[1];
        assertEquals(second, put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20443,\"serverPort\":443}]"), "a change while the last is queued joins it");
        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isPresent());
        steps.fail(second, "the host was restarting");
        Api.as("cleo").get(path(a)).then().body("forwards.hostPort", equalTo(List.of(20022))); // what the failed change replaced is back

        int b = order("b");
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]}").put(path(b)).then().statusCode(409);
        Api.as("cleo").delete("/api/v1/servers/" + a).then().statusCode(202);
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]}").put(path(b)).then().statusCode(409)
                .body("detail", containsString("already forwarded"));
        steps.succeed(operation(a, "destroy"), VirtualServer.Observed.destroyed);
        put(b, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]");
        assertNotEquals(0L, forwardRows());
    }

    @Test
    void aHostsPublicAddressIsWhereItsForwardsShowOnTheApiAndThePage() {
        int a = order("a");
        put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]");
        String hostPath = "/api/v1/hosts/" + host.id;
        for (String[] bad : new String[][] {
                {"2001:db8::7", "port forwards are IPv4"}, {"198.51.100.7:80", "port forwards are IPv4"},
                {"198.51.100.256", "four numbers 0-255"}, {"198.051.100.7", "without leading zeros"}, {"127.0.0.1", "loopback"},
                {"0.0.0.0", "not 0.0.0.0/8"}, {"224.0.0.1", "multicast"}, {"localhost", "has a dot"}, {"host_7.example.net", "labels are"},
                {"-x.example.net", "labels are"}, {"a..example.net", "labels are"}, {"198.51.100", "four numbers"},
                {"x.example.123", "all digits"}, {"é.example.net", "xn--"}, {("a".repeat(60) + ".").repeat(5) + "net", "at most 253"}}) {
            Api.as("ada").body("{\"publicAddress\":\"" + bad[0] + "\"}").patch(hostPath).then().statusCode(400)
                    .body("field", equalTo("publicAddress")).body("detail", startsWith("publicAddress: ")).body("detail", containsString(bad[1]));
        }
        // refused before the agent is asked anything: this one's URL answers nothing
        Api.as("ada").body("{\"name\":\"h2\",\"agentUrl\":\"https://127.0.0.1:9\",\"secret\":\"0123456789abcdef\",\"publicAddress\":\"::1\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("publicAddress"));
        Api.as("cleo").body("{\"publicAddress\":\"forward.example.net\"}").patch(hostPath).then().statusCode(403);
        Api.as("cleo").get(path(a)).then().body("hostAddress", equalTo("127.0.0.1")); // nothing refused was saved

        Api.as("ada").body("{\"publicAddress\":\" Forward.Example.NET. \"}").patch(hostPath).then().statusCode(200)
                .body("publicAddress", equalTo("forward.example.net"));
        Api.as("ada").body("{\"draining\":false}").patch(hostPath).then().body("publicAddress", equalTo("forward.example.net")); // absent: stays
        Api.as("cleo").get(path(a)).then().body("hostAddress", equalTo("forward.example.net"));
        BrowserSession cleo = new BrowserSession(panel.toString());
        assertEquals(200, cleo.signIn("/servers/" + a, "cleo", "cleo-password").statusCode());
        assertTrue(cleo.open("/servers/" + a).body().contains("<code>forward.example.net:20022 → 22</code>"), "the page shows the public address");

        BrowserSession ada = new BrowserSession(panel.toString());
        assertEquals(200, ada.signIn("/admin/hosts/" + host.id, "ada", "ada-password").statusCode());
        assertEquals(303, ada.submit("/admin/hosts/" + host.id, "/admin/hosts/" + host.id + "/public-address",
                Map.of("publicAddress", "198.51.100.300")).statusCode());
        Api.as("cleo").get(path(a)).then().body("hostAddress", equalTo("forward.example.net"));
        assertEquals(303, ada.submit("/admin/hosts/" + host.id, "/admin/hosts/" + host.id + "/public-address",
                Map.of("publicAddress", "203.0.113.7")).statusCode());
        assertTrue(ada.open("/admin/hosts/" + host.id).body().contains("203.0.113.7"));
        assertTrue(cleo.open("/servers/" + a).body().contains("<code>203.0.113.7:20022 → 22</code>"));
        Api.as("ada").body("{\"publicAddress\":\"\"}").patch(hostPath).then().statusCode(200).body("publicAddress", equalTo(null));
        Api.as("cleo").get(path(a)).then().body("hostAddress", equalTo("127.0.0.1")); // the agent URL's host again
    }

    /** Server a, running with tcp 20022 on its host, and the operation of a change to 20080, queued: {a, the operation}. */
    int[] runningWith20022AndAChangeTo20080Queued() {
        int a = order("a");
        steps.succeed(operation(a, "create"), VirtualServer.Observed.running);
        int first = put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]");
        steps.succeed(first, VirtualServer.Observed.running);
        int second = put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20080,\"serverPort\":80}]");
        return new int[] {a, second};
    }

    @Test
    void aFailedChangeLeavesWhatTheAgentSaysItHoldsForForwardsAndFirewallAlike() {
        int[] queued = runningWith20022AndAChangeTo20080Queued();
        int a = queued[0], second = queued[1];
        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isPresent());
        // the agent took the change but its answer was lost: asked after the failure, it says it holds the new one
        steps.fail(second, "host-a could not be reached: timed out", new Held(null, List.of(new ForwardSpec("tcp", 20080, 80))));
        Api.as("cleo").get(path(a)).then().body("forwards.hostPort", equalTo(List.of(20080)));

        String firewall = "/api/v1/servers/" + a + "/firewall";
        int closing = Api.as("cleo").body("{\"defaultInbound\":\"deny\",\"rules\":[]}").put(firewall).then().statusCode(202).extract().path("id");
        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isPresent());
        // the agent refused it and kept what it had, which the panel never saved: an open firewall with a rule
        steps.fail(closing, "refused", new Held(new FirewallSpec("allow", List.of(new FirewallSpec.Rule("deny", "tcp", "25", null))), null));
        Api.as("cleo").get(firewall).then().body("defaultInbound", equalTo("allow")).body("rules.ports", equalTo(List.of("25")));
    }

    @Test
    void aHostHasAtMostItsShareOfForwardsAndAServerMayAlwaysKeepOrLowerItsOwn() {
        int a = order("a"), b = order("b");
        fillHost(b, 997); // of the 1000 a host has room for (corral.forwards.max-per-host)
        String four = "[" + "{\"protocol\":\"udp\",\"serverPort\":53},".repeat(3) + "{\"protocol\":\"udp\",\"serverPort\":53}]";
        Api.as("cleo").body("{\"forwards\":" + four + "}").put(path(a)).then().statusCode(409).body("field", equalTo("forwards"))
                .body("detail", equalTo("forwards: this server's host has room for 1000 port forwards of all its servers "
                        + "(corral.forwards.max-per-host), 997 of them other servers'; 4 do not fit, at most 3 do"));
        Api.as("cleo").get(path(a)).then().body("forwards", equalTo(List.of()));
        put(a, "[" + "{\"protocol\":\"udp\",\"serverPort\":53},".repeat(2) + "{\"protocol\":\"udp\",\"serverPort\":53}]");
        fillHost(b, 999); // with a's 3, more than the host's room, as when an admin lowers it
        put(a, "[{\"protocol\":\"udp\",\"serverPort\":53},{\"protocol\":\"udp\",\"serverPort\":54},{\"protocol\":\"udp\",\"serverPort\":55}]");
        put(a, "[{\"protocol\":\"udp\",\"serverPort\":53}]");
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"udp\",\"serverPort\":53},{\"protocol\":\"udp\",\"serverPort\":54}]}")
                .put(path(a)).then().statusCode(409).body("detail", containsString("2 do not fit, at most 1 do"));
    }

    @Test
    void aServerBeingMovedHoldsItsPortsOnBothHosts() {
        int a = order("a");
        put(a, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]");
        Host other = fixtures.host("host-b", 64, 1_000_000, 10_000_000);
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + other.id).then().statusCode(200);
        setStatus(host.id, Host.Status.draining);
        int b = order("b"); // placed on host-b, the one host taking servers
        setStatus(host.id, Host.Status.up);
        put(b, "[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]"); // another host's port of the same number
        String move = "/api/v1/servers/" + a + "/move", toOther = "{\"hostId\":" + other.id + "}";
        Api.as("ada").body(toOther).post(move).then().statusCode(409).body("detail", equalTo("server " + a + " forwards tcp 20022 of its host,"
                + " which host host-b forwards to another server already; change one of the two forwards first; nothing was queued"));

        put(b, "[{\"protocol\":\"tcp\",\"hostPort\":20023,\"serverPort\":22}]");
        Api.as("ada").body(toOther).post(move).then().statusCode(202);
        // from the move's queueing on, a's ports count on both hosts, and b's against a's
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]}").put(path(b)).then().statusCode(409)
                .body("field", equalTo("forwards[0].hostPort"));
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20023,\"serverPort\":22}]}").put(path(a)).then().statusCode(409)
                .body("field", equalTo("forwards[0].hostPort"));
        put(a, "[{\"protocol\":\"tcp\",\"serverPort\":22}]"); // a pick passes over both hosts' taken ports
        Api.as("cleo").get(path(a)).then().body("forwards.hostPort", equalTo(List.of(20000)));
        put(b, "[{\"protocol\":\"tcp\",\"serverPort\":80},{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]");
        Api.as("cleo").get(path(b)).then().body("forwards.hostPort", equalTo(List.of(20001, 20022)));
    }

    @Transactional
    void setStatus(long hostId, Host.Status status) {
        Host.update("status = ?1 where id = ?2", status, hostId);
    }

    /** Gives the server as many TCP forwards as asked, straight in the database, as if made over time. */
    @Transactional
    void fillHost(int server, int forwards) {
        VirtualServer.getEntityManager().createNativeQuery("delete from port_forward where server_id = :server").setParameter("server", server)
                .executeUpdate();
        VirtualServer.getEntityManager().createNativeQuery("""
                insert into port_forward (server_id, host_id, protocol, host_port, server_port)
                select :server, :host, 'tcp', p, 22 from generate_series(20000, 20000 + :forwards - 1) p""")
                .setParameter("server", server).setParameter("host", host.id).setParameter("forwards", forwards).executeUpdate();
    }

    @Test
    void aServerWithoutAPrivateNetworkHasNone() {
        setPlanNetwork("none");
        int a = order("a");
        Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"serverPort\":22}]}").put(path(a)).then().statusCode(400)
                .body("field", equalTo("forwards")).body("detail", containsString("this one has no network"));
    }

    @Transactional
    void setPlanNetwork(String network) {
        Plan.update("network = ?1", network);
    }

    int operation(int server, String kind) {
        return Api.as("ada").get("/api/v1/operations?serverId=" + server).then().extract()
                .path("items.find { it.kind == '" + kind + "' }.id");
    }

    long forwardRows() {
        return ((Number) VirtualServer.getEntityManager().createNativeQuery("select count(*) from port_forward").getSingleResult()).longValue();
    }
}
