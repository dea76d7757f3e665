package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.Json;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Port forwards on real bridges, veths and nftables rules: S and T are servers of two tenants on a
 * private network (198.51.100.64/26); the outside is a network namespace of the test that the host
 * routes to (the host 198.51.100.225, the outside .226), which reaches S only through the host's
 * address and a forwarded port. S serves HTTP on 22 and listens for UDP on 5000.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardTest {
    static final String S = "fwd-s", T = "fwd-t", X = "fwd-x";
    static final String HOST = "198.51.100.225", OUTSIDE = "198.51.100.226";
    static final List<Forward> SSH_AND_DNS = List.of(new Forward("tcp", 2201, 22), new Forward("udp", 2253, 5000));
    final String name = "tw" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    Outside outside;
    Path probe;

    NetworkSpec network(String tenant, int host) {
        return new NetworkSpec(name, "private", tenant, "198.51.100." + host + "/26", "198.51.100.65", null, null, null);
    }

    @BeforeAll
    void servers() throws Exception {
        NetworkTest.create(TestHost.agent(), S, network("acme", 70));
        NetworkTest.create(TestHost.agent(), T, network("beta", 71));
        probe = NetworkTest.compileProbe();
        // into S's own layer, owned by its root, as a customer's program would be
        Path target = TestHost.agent().state().server(S).resolve("disk/upper").resolve(NetworkTest.PROBE.substring(1));
        Files.copy(probe, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(target, "unix:uid", (int) TestHost.servers().get(S).users().first());
        TestHost.sh(S, "mkdir -p /tmp/www && echo served-by-s > /tmp/www/name && httpd -p 22 -h /tmp/www");
        outside = Outside.routed(HOST + "/28", OUTSIDE + "/28");
        Await.until(Duration.ofSeconds(10), "the outside reaches the host", () -> outside.succeeds("busybox", "ping", "-c", "1", "-W", "1", HOST));
    }

    @BeforeEach
    void noForwardsAndOpen() {
        TestHost.servers().rules().changeForwards(S, List.of());
        TestHost.servers().rules().changeForwards(T, List.of());
        TestHost.servers().rules().changeFirewall(S, Firewall.OPEN);
    }

    @AfterAll
    void destroy() {
        TestHost.destroyQuietly(S, T, X);
        if (outside != null) {
            outside.close();
        }
        TestHost.deleteBridges(name);
    }

    @Test
    void tcpAndUdpToTheHostsAddressReachTheServerUntilTheForwardIsRemoved() throws Exception {
        assertFalse(fromOutside(2201), "the control: no forward, no way in");
        TestHost.servers().rules().changeForwards(S, SSH_AND_DNS);
        assertEquals(SSH_AND_DNS, TestHost.servers().rules().forwards(S));
        assertTrue(fromOutside(2201), "TCP to the host's port 2201 reaches S's port 22");
        assertEquals(List.of("over-udp from " + OUTSIDE), udpFromOutside(2253, "over-udp"), "UDP 2253 reaches S's 5000, from its real source");
        assertTrue(get("host", HOST, 2201).contains("served-by-s"), "the host's own connection to its address is forwarded too");

        TestHost.servers().rules().changeForwards(S, List.of(new Forward("udp", 2253, 5000)));
        assertFalse(fromOutside(2201), "the removed forward is closed");
        assertEquals(List.of("still from " + OUTSIDE), udpFromOutside(2253, "still"), "while the one kept still forwards");
        TestHost.servers().rules().changeForwards(S, List.of());
        assertEquals(List.of(), udpFromOutside(2253, "gone"), "and none once all are removed");
    }

    @Test
    void theServersFirewallJudgesForwardedTrafficAsAnyOther() {
        TestHost.servers().rules().changeForwards(S, SSH_AND_DNS);
        assertTrue(fromOutside(2201), "the control");
        TestHost.servers().rules().changeFirewall(S, new Firewall("allow", List.of(new Firewall.Rule("deny", "tcp", "22", null))));
        assertFalse(fromOutside(2201), "a deny rule for the server's port 22 blocks the forward to it");
        TestHost.servers().rules().changeFirewall(S, Firewall.OPEN);
        assertTrue(fromOutside(2201), "open again once the rule is gone");
    }

    @Test
    void aSourceFromTheServersOwnNetworkForgedOutsideDoesNotGetIn() {
        TestHost.servers().rules().changeForwards(S, SSH_AND_DNS);
        String forged = "198.51.100.66"; // in S's private network, held by no server
        outside.run("ip", "address", "add", forged + "/32", "dev", "out0");
        try {
            assertEquals(List.of("real from " + OUTSIDE), udpFromOutside(OUTSIDE, 2253, "real"), "the control");
            assertEquals(List.of(), udpFromOutside(forged, 2253, "forged"),
                    "a neighbour's address coming from outside is dropped before a firewall rule for neighbours could let it in");
        } finally {
            outside.run("ip", "address", "del", forged + "/32", "dev", "out0");
        }
    }

    @Test
    void adoptionKeepsTheForwardsOnceAndMakesThemAgainWhenTheHostsRulesAreGone() {
        TestHost.servers().rules().changeForwards(S, SSH_AND_DNS);
        String before = forwardsMap();
        TestHost.servers().reconcile(); // what an agent restarted with -9 does
        assertEquals(before, forwardsMap(), "the same forwards, once each");
        assertTrue(fromOutside(2201));

        Command.run("nft", "delete", "table", "inet", TestHost.agent().state().instance()); // as after a reboot
        assertFalse(fromOutside(2201), "the control: no rules, no forward");
        TestHost.servers().reconcile();
        assertEquals(before, forwardsMap(), "made again from the server's spec");
        assertTrue(fromOutside(2201));
    }

    @Test
    void aSecondServerCannotTakeAForwardedHostPort() {
        TestHost.servers().rules().changeForwards(S, SSH_AND_DNS);
        AgentException e = assertThrows(AgentException.class,
                () -> TestHost.servers().rules().changeForwards(T, List.of(new Forward("tcp", 2202, 22), new Forward("tcp", 2201, 22))));
        assertEquals(AgentException.Kind.CONFLICT, e.kind(), e.getMessage());
        assertEquals("forwards[1].hostPort", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("tcp 2201") && e.getMessage().contains(S), e.getMessage());
        assertEquals(List.of(), TestHost.servers().rules().forwards(T), "T keeps what it had");
        assertFalse(forwardsMap().contains("2202"), "and nothing of the refused change is applied");
        TestHost.servers().rules().changeForwards(T, List.of(new Forward("udp", 2201, 22)));
        assertTrue(fromOutside(2201), "the same number over the other protocol is another port: S keeps its TCP 2201");
    }

    @Test
    void aServerCreatedWithForwardsHasThemFromItsBootAndDestroyLeavesNoneOfThem() {
        TestHost.servers().create(new CreateRequest(X, "x", "busybox", null, true, network("acme", 72), null,
                List.of(new Forward("tcp", 2272, 22))));
        assertTrue(forwardsMap().contains("198.51.100.72 . 22"), forwardsMap());
        TestHost.sh(X, "mkdir -p /tmp/www && echo served-by-x > /tmp/www/name && httpd -p 22 -h /tmp/www");
        assertTrue(get("outside", HOST, 2272).contains("served-by-x"));
        TestHost.servers().reinstall(X, null, List.of(new Forward("tcp", 2273, 22)), null);
        assertFalse(forwardsMap().contains("2272"), "a reinstall takes the forwards the panel sends again: " + forwardsMap());
        assertTrue(forwardsMap().contains("2273"), forwardsMap());

        TestHost.servers().destroy(X);
        assertFalse(forwardsMap().contains("198.51.100.72"), "no forward of it left: " + forwardsMap());
    }

    @Test
    void onlyAServerOnAPrivateNetworkWithIpv4HasForwards() {
        List<Forward> one = List.of(new Forward("tcp", 2280, 22));
        NetworkSpec open = new NetworkSpec(name + "p", "public", "acme", "203.0.113.80/24", "203.0.113.1", null, null, null);
        AgentException e = assertThrows(AgentException.class,
                () -> TestHost.servers().create(new CreateRequest(X, "x", "busybox", null, true, open, null, one)));
        assertEquals("forwards", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("its own"), e.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server(X)), "no server left");
        AgentException none = assertThrows(AgentException.class,
                () -> TestHost.servers().create(new CreateRequest(X, "x", "busybox", null, false, null, null, one)));
        assertEquals("forwards", none.field(), none.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "forwards[0].protocol   | [{\"protocol\":\"sctp\",\"hostPort\":2201,\"serverPort\":22}]",
        "forwards[0].protocol   | [{\"hostPort\":2201,\"serverPort\":22}]",
        "forwards[1].hostPort   | [{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":22},{\"protocol\":\"tcp\",\"hostPort\":0,\"serverPort\":22}]",
        "forwards[0].hostPort   | [{\"protocol\":\"tcp\",\"hostPort\":65536,\"serverPort\":22}]",
        "forwards[0].serverPort | [{\"protocol\":\"udp\",\"hostPort\":2201}]",
        "forwards[0].serverPort | [{\"protocol\":\"udp\",\"hostPort\":2201,\"serverPort\":-22}]",
        "forwards[1].hostPort   | [{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":22},{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":80}]",
        "forwards[0]            | [null]",
    })
    void badForwardsAreRefusedNamingTheFieldAndChangeNothing(String field, String forwards) throws Exception {
        TestHost.servers().rules().changeForwards(S, List.of(new Forward("tcp", 2299, 22)));
        String before = forwardsMap();
        List<Forward> bad = Json.MAPPER.readValue(forwards, new TypeReference<List<Forward>>() { });
        AgentException e = assertThrows(AgentException.class, () -> TestHost.servers().rules().changeForwards(S, bad));
        assertEquals(AgentException.Kind.INVALID, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(before, forwardsMap(), "the rules as they were");
        assertEquals(List.of(new Forward("tcp", 2299, 22)), TestHost.servers().rules().forwards(S));
    }

    @Test
    void atMost32Forwards() {
        List<Forward> many = new java.util.ArrayList<>();
        for (int port = 3000; port < 3033; port++) {
            many.add(new Forward("tcp", port, 22));
        }
        AgentException e = assertThrows(AgentException.class, () -> TestHost.servers().rules().changeForwards(S, many));
        assertEquals("forwards", e.field(), e.getMessage());
        TestHost.servers().rules().changeForwards(S, many.subList(0, 32));
        assertEquals(32, TestHost.servers().rules().forwards(S).size());
        assertEquals(32, forwardsMap().split("198\\.51\\.100\\.70 \\. 22", -1).length - 1, "each in the host's rules");
    }

    /** Whether S's page comes back to the outside over the host's address and port. */
    boolean fromOutside(int port) {
        return get("outside", HOST, port).contains("served-by-s");
    }

    /** What a GET of /name from the outside (or the host) to the address and port answers, or nothing. */
    String get(String from, String address, int port) {
        List<String> curl = List.of("curl", "-s", "-m", "2", "http://" + address + ":" + port + "/name");
        try {
            return from.equals("host") ? Command.run(curl.toArray(String[]::new)) : outside.run(curl.toArray(String[]::new));
        } catch (IllegalStateException e) {
            return "";
        }
    }

    @Test
    void aUdpDatagramLargerThanTheLinksMtuPassesAnAllowRuleUnderDefaultDeny() {
        // a host port of its own: the probe always sends from port 40000, and a flow an earlier test left to the host's
        // 2253 without a forward would stay with the host until conntrack forgets it
        TestHost.servers().rules().changeForwards(S, List.of(new Forward("udp", 2254, 5000)));
        TestHost.servers().rules().changeFirewall(S, new Firewall("deny", List.of(new Firewall.Rule("allow", "udp", "5000", null))));
        assertEquals(List.of("small from " + OUTSIDE), udpFromOutside(2254, "small"), "the control: a datagram in one packet");
        // three fragments on the outside's 1500-byte link; the host reassembles it for conntrack and fragments it again towards S
        String large = "x".repeat(4000);
        assertEquals(List.of(large + " from " + OUTSIDE), largeFromOutside(2254, 4000), "the datagram whole, its later fragments with it");
        TestHost.servers().rules().changeFirewall(S, new Firewall("deny", List.of()));
        assertEquals(List.of(), largeFromOutside(2254, 4000), "under a deny its first fragment is dropped, and the rest alone make nothing");
    }

    List<String> largeFromOutside(int port, int length) {
        return NetworkTest.receivedInside(S, () -> outside.run(probe.toAbsolutePath().toString(), "large4", HOST, Integer.toString(port),
                Integer.toString(length))).stream().map(line -> line.replace("::ffff:", "")).toList();
    }

    /** What S's UDP listener on 5000 receives of a datagram the outside sends to the host's address and port. */
    List<String> udpFromOutside(int port, String payload) {
        return udpFromOutside(OUTSIDE, port, payload);
    }

    List<String> udpFromOutside(String source, int port, String payload) {
        return NetworkTest.receivedInside(S, () -> outside.run(probe.toAbsolutePath().toString(), "udp4", source, HOST,
                Integer.toString(port), payload)).stream().map(line -> line.replace("::ffff:", "")).toList();
    }

    String forwardsMap() {
        return Command.run("nft", "list", "map", "inet", TestHost.agent().state().instance(), "forwards");
    }
}
