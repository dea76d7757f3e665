package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.Json;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server's firewall on real bridges, veths and nftables rules: W serves HTTP on 8080 and 8081 and is
 * reached from a neighbour (a network namespace of the test, with two addresses of each family on the
 * servers' bridge) and from P, another server of its tenant on the same bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallTest {
    static final String W = "fw-w", P = "fw-p", X = "fw-x";
    static final String W4 = "203.0.113.140", W6 = "2001:db8:f1::140";
    final String name = "tf" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    Outside neighbour;

    NetworkSpec network(int host) {
        return new NetworkSpec(name, "public", "acme", "203.0.113." + host + "/25", "203.0.113.129",
                "2001:db8:f1::" + host + "/64", "2001:db8:f1::1", null);
    }

    @BeforeAll
    void servers() {
        NetworkTest.create(TestHost.agent(), W, network(140));
        NetworkTest.create(TestHost.agent(), P, network(141));
        TestHost.sh(W, "mkdir -p /tmp/www && echo served > /tmp/www/index.html && httpd -p 8080 -h /tmp/www && httpd -p 8081 -h /tmp/www");
        neighbour = Outside.onBridge("crb-" + name, "203.0.113.200/25", "203.0.113.201/25", "2001:db8:f1::100/64", "2001:db8:f1::101/64");
        Await.until(Duration.ofSeconds(10), "the neighbour reaches W", () -> fromNeighbour("203.0.113.200", W4, 8080));
    }

    @BeforeEach
    void open() {
        TestHost.servers().rules().changeFirewall(W, Firewall.OPEN);
    }

    @AfterAll
    void destroy() {
        TestHost.destroyQuietly(W, P, X);
        if (neighbour != null) {
            neighbour.close();
        }
        TestHost.deleteBridges(name);
    }

    @Test
    void aDenyRuleBlocksTcpFromOutsideAndFromAServerOfTheTenantUntilItIsRemoved() {
        assertTrue(fromNeighbour("203.0.113.200", W4, 8080) && fromP(W4, 8080), "open: the control");
        TestHost.servers().rules().changeFirewall(W, new Firewall("allow", List.of(new Firewall.Rule("deny", "tcp", "8080", null))));
        assertFalse(fromNeighbour("203.0.113.200", W4, 8080), "8080 from outside");
        assertFalse(fromNeighbour("2001:db8:f1::100", W6, 8080), "8080 from outside over IPv6");
        assertFalse(fromP(W4, 8080), "8080 from P, on the same bridge");
        assertTrue(fromNeighbour("203.0.113.200", W4, 8081) && fromP(W4, 8081), "8081 stays open");

        TestHost.servers().rules().changeFirewall(W, Firewall.OPEN);
        assertTrue(fromNeighbour("203.0.113.200", W4, 8080) && fromP(W4, 8080), "open again once the rule is gone");
    }

    @Test
    void underDefaultDenyOnlyTheAllowedPrefixGetsIn() {
        TestHost.servers().rules().changeFirewall(W, new Firewall("deny", List.of(
                new Firewall.Rule("allow", "tcp", "8000-8100", "203.0.113.200/32"),
                new Firewall.Rule("allow", "tcp", "8080", "2001:db8:f1::100/128"))));
        assertTrue(fromNeighbour("203.0.113.200", W4, 8080), "the allowed IPv4 source");
        assertTrue(fromNeighbour("203.0.113.200", W4, 8081), "within the allowed range");
        assertFalse(fromNeighbour("203.0.113.201", W4, 8080), "another IPv4 source");
        assertTrue(fromNeighbour("2001:db8:f1::100", W6, 8080), "the allowed IPv6 source");
        assertFalse(fromNeighbour("2001:db8:f1::101", W6, 8080), "another IPv6 source");
        assertFalse(fromNeighbour("2001:db8:f1::100", W6, 8081), "a port the IPv6 rule does not name");
        assertFalse(fromP(W4, 8080), "P is not in the prefix");
        assertFalse(neighbour.succeeds("busybox", "ping", "-c", "1", "-W", "1", W4), "nor is ping allowed");
    }

    @Test
    void aDenyRuleCutsAConnectionFromOutsideThatWasOpenBeforeIt() throws Exception {
        // its input never ends (busybox's nc stops at the end of its input), and it outlives the exec in a session of its own
        TestHost.sh(W, "setsid sh -c 'tail -f /dev/null | nc -l -p 9100 > /tmp/kept' < /dev/null > /dev/null 2>&1 &");
        Await.until(Duration.ofSeconds(10), "W listens", () -> TestHost.sh(W, "netstat -ltn").contains(":9100"));
        Process client = neighbour.start("busybox", "nc", W4, "9100");
        try {
            client.getOutputStream().write("before\n".getBytes());
            client.getOutputStream().flush();
            Await.until(Duration.ofSeconds(10), "the open connection carries data", () -> TestHost.sh(W, "cat /tmp/kept").contains("before"));
            TestHost.servers().rules().changeFirewall(W, new Firewall("allow", List.of(new Firewall.Rule("deny", "tcp", "9100", "203.0.113.200/32"))));
            client.getOutputStream().write("after\n".getBytes());
            client.getOutputStream().flush();
            // absence has no event to wait on: TCP sends the line at once and retransmits it within a second
            assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(3), "the line after the rule",
                    () -> TestHost.sh(W, "cat /tmp/kept").contains("after")), "the rule holds the established connection too");
            TestHost.servers().rules().changeFirewall(W, Firewall.OPEN);
            Await.until(Duration.ofSeconds(20), "the retransmitted line once the rule is gone",
                    () -> TestHost.sh(W, "cat /tmp/kept").contains("after"));
        } finally {
            client.destroy();
            client.waitFor();
        }
    }

    @Test
    void repliesToTheServersOwnConnectionsPassUnderDefaultDeny() throws Exception {
        Path www = Files.createTempDirectory("corral-fw-www");
        Files.writeString(www.resolve("index.html"), "from-the-neighbour\n");
        Process httpd = neighbour.start("busybox", "httpd", "-f", "-p", "8000", "-h", www.toString());
        try {
            Await.until(Duration.ofSeconds(10), "the neighbour serves", () -> neighbour.run("busybox", "netstat", "-ltn").contains(":8000"));
            TestHost.servers().rules().changeFirewall(W, new Firewall("deny", List.of()));
            assertFalse(fromNeighbour("203.0.113.200", W4, 8080), "the control: nothing gets in");
            assertTrue(get(W, "203.0.113.200", 8000).contains("from-the-neighbour"), "W's own connection over IPv4");
            assertTrue(get(W, "2001:db8:f1::100", 8000).contains("from-the-neighbour"), "and over IPv6");
            assertEquals(0, NetworkTest.ping(TestHost.agent(), W, "203.0.113.129"), "the gateway's echo reply, which the host sends");
            assertEquals(0, NetworkTest.ping(TestHost.agent(), W, "203.0.113.141"), "and P's");
        } finally {
            httpd.destroy();
            httpd.waitFor();
            Files.delete(www.resolve("index.html"));
            Files.delete(www);
        }
    }

    @Test
    void aServerCreatedWithAFirewallStartsWithItKeepsTheOneAReinstallSendsAndDestroyLeavesNoRuleOfIt() {
        Firewall firewall = new Firewall("deny", List.of(new Firewall.Rule("allow", "icmp", null, null)));
        TestHost.servers().create(new CreateRequest(X, "x", "busybox", null, true, network(142), firewall));
        String port = TestHost.servers().get(X).network().hostInterface();
        assertEquals(firewall, TestHost.servers().rules().firewall(X));
        assertTrue(NetworkTest.ruleset().contains("fw-" + port), "its chain is there from the boot");
        assertTrue(neighbour.succeeds("busybox", "ping", "-c", "1", "-W", "2", "203.0.113.142"), "ping, which it allows");
        TestHost.sh(X, "httpd -p 8080 -h /");
        assertFalse(fromNeighbour("203.0.113.200", "203.0.113.142", 8080), "and nothing else");

        Firewall again = new Firewall("allow", List.of(new Firewall.Rule("deny", "icmp", null, null)));
        TestHost.servers().reinstall(X, again, null, null);
        assertEquals(again, TestHost.servers().rules().firewall(X), "a reinstall takes the firewall the panel sends again");
        assertFalse(neighbour.succeeds("busybox", "ping", "-c", "1", "-W", "2", "203.0.113.142"), "and boots with it");

        TestHost.servers().destroy(X);
        assertFalse(NetworkTest.ruleset().contains(port), "no chain, rule or element of its port left");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "defaultInbound     | {\"defaultInbound\":\"reject\",\"rules\":[]}",
        "defaultInbound     | {\"rules\":[]}",
        "rules[1].action    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\"},{\"action\":\"permit\",\"protocol\":\"tcp\"}]}",
        "rules[0].protocol  | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"sctp\"}]}",
        "rules[0].protocol  | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"65536\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"0\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"0022\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"198.51.100.0/024\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"8100-8000\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"22,80\"}]}",
        "rules[0].ports     | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"icmp\",\"ports\":\"22\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"198.51.100.5/24\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"198.51.100.0/33\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"example.org\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"2001:db8::1/48\"}]}",
        "rules[0].source    | {\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"198.51.100.0/24; drop\"}]}",
        "rules[0]           | {\"defaultInbound\":\"deny\",\"rules\":[null]}",
    })
    void aBadFirewallIsRefusedNamingTheFieldAndChangesNothing(String field, String firewall) throws Exception {
        TestHost.servers().rules().changeFirewall(W, new Firewall("deny", List.of(new Firewall.Rule("allow", "tcp", "8080", null))));
        String port = TestHost.servers().get(W).network().hostInterface(), table = TestHost.agent().state().instance();
        String chain = Command.run("nft", "list", "chain", "bridge", table, "fw-" + port);
        Firewall bad = Json.MAPPER.readValue(firewall, Firewall.class);

        AgentException e = assertThrows(AgentException.class, () -> TestHost.servers().rules().changeFirewall(W, bad));
        assertEquals(AgentException.Kind.INVALID, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(chain, Command.run("nft", "list", "chain", "bridge", table, "fw-" + port), "the rules as they were");
        assertEquals("deny", TestHost.servers().rules().firewall(W).defaultInbound());

        AgentException onCreate = assertThrows(AgentException.class,
                () -> TestHost.servers().create(new CreateRequest(X, "x", "busybox", null, true, network(142), bad)));
        assertEquals("firewall." + field, onCreate.field(), onCreate.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server(X)), "no server left");
    }

    @Test
    void atMost64Rules() {
        List<Firewall.Rule> rules = java.util.Collections.nCopies(65, new Firewall.Rule("allow", "tcp", "22", null));
        AgentException e = assertThrows(AgentException.class, () -> TestHost.servers().rules().changeFirewall(W, new Firewall("deny", rules)));
        assertEquals("rules", e.field(), e.getMessage());
        TestHost.servers().rules().changeFirewall(W, new Firewall("deny", rules.subList(0, 64)));
        assertEquals(64, TestHost.servers().rules().firewall(W).rules().size());
    }

    /** Whether a TCP connection from the neighbour's source address to the address and port gets W's page. */
    boolean fromNeighbour(String source, String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return neighbour.succeeds("curl", "-s", "-f", "-g", "-m", "2", "--interface", source, "-o", "/dev/null",
                "http://" + host + ":" + port + "/index.html");
    }

    /** Whether P gets W's page. */
    static boolean fromP(String address, int port) {
        return get(P, address, port).contains("served");
    }

    /** What a server gets for GET /index.html from the address and port, or nothing. */
    static String get(String id, String address, int port) {
        return TestHost.exec(id, "sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + address + " " + port).stdout();
    }
}
