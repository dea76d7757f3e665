package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A public network whose addresses the provider expects on the host's uplink segment: the test's
 * outside is a neighbour on that segment (198.51.100.192/27 and 2001:db8:5300::/64, the host's end of
 * its veth standing for the uplink with .194 and ::2), with only its on-link routes, so it reaches a
 * server only because the host answers ARP and neighbour solicitations for the server's addresses.
 * Server A is on a network with that uplink (198.51.100.208/28, 2001:db8:5300::1:0/112), B on a public
 * network without one inside the same segment's prefix (198.51.100.200/29, 2001:db8:5300::2:0/112).
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class UplinkTest {
    static final String A = "up-a", B = "up-b", C = "up-c";
    final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    final String uplinkNetwork = "tk" + tag, otherNetwork = "tl" + tag;
    Outside segment;

    /** A server on the network with the uplink: 198.51.100.HOST and 2001:db8:5300::1:HOST. */
    NetworkSpec onUplink(int host) {
        return new NetworkSpec(uplinkNetwork, "public", "acme", "198.51.100." + host + "/28", "198.51.100.209",
                "2001:db8:5300::1:" + host + "/112", "2001:db8:5300::1:1", null, segment.hostEnd);
    }

    @BeforeAll
    void servers() throws Exception {
        segment = Outside.onSegment(List.of("198.51.100.194/27", "2001:db8:5300::2/64"), "198.51.100.193/27", "2001:db8:5300::1/64");
        NetworkTest.create(TestHost.agent(), A, onUplink(210));
        NetworkTest.create(TestHost.agent(), B, new NetworkSpec(otherNetwork, "public", "beta", "198.51.100.202/29", "198.51.100.201",
                "2001:db8:5300::2:202/112", "2001:db8:5300::2:1", null));
        NetworkTest.installProbe(TestHost.agent(), A);
        // out0 gets its carrier a moment after it is up, and the host delays proxied answers (proxy_delay)
        Await.until(Duration.ofSeconds(10), "the segment reaches A", () -> answers("198.51.100.210"));
        // the segment's IPv6 address may still be tentative (duplicate address detection) under load
        Await.until(Duration.ofSeconds(10), "the segment reaches A on IPv6", () -> answers("2001:db8:5300::1:210"));
    }

    @AfterAll
    void destroy() {
        TestHost.destroyQuietly(A, B, C);
        if (segment != null) {
            segment.close();
        }
        TestHost.deleteBridges(uplinkNetwork, otherNetwork);
    }

    @Test
    void theSegmentReachesTheServerOverIcmpAndTcpBecauseTheHostAnswersForIt() throws Exception {
        assertEquals("", segment.run("ip", "route", "show", "default") + segment.run("ip", "-6", "route", "show", "default"),
                "the outside has no route but its segment's");
        TestHost.sh(A, "mkdir -p /tmp/www && echo served-by-a > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");
        assertTrue(answers("2001:db8:5300::1:210"), "ping A on IPv6");
        assertEquals("served-by-a", segment.run("curl", "-s", "-m", "5", "http://198.51.100.210:8080/index.html"));
        assertEquals("served-by-a", segment.run("curl", "-s", "-m", "5", "-g", "http://[2001:db8:5300::1:210]:8080/index.html"));
        for (String address : List.of("198.51.100.210", "2001:db8:5300::1:210")) {
            String neighbour = segment.run("ip", "neigh", "show", address, "dev", "out0");
            assertTrue(neighbour.contains("lladdr " + segment.hostMac()), "the uplink's MAC answers for " + address + ": " + neighbour);
        }
        assertEquals(List.of("198.51.100.210", "2001:db8:5300::1:210"), proxies(), "the host answers for exactly A's addresses");
    }

    @Test
    void theHostAnswersForNoOtherAddress() {
        for (String address : List.of("198.51.100.211", "2001:db8:5300::1:211", "198.51.100.202", "2001:db8:5300::2:202")) {
            assertFalse(answers(address), address + " (an unused address of A's network, or B's on a network without uplink)");
            assertFalse(segment.run("ip", "neigh", "show", address, "dev", "out0").contains("lladdr"), "nobody answered for " + address);
        }
        assertEquals(0, NetworkTest.ping(TestHost.agent(), B, "198.51.100.201"), "while B runs, and reaches its gateway");
    }

    @Test
    void aServerStillSendsOnlyFromItsOwnAddresses() throws Exception {
        List<String> got = NetworkTest.received(segment, () -> TestHost.sh(A, String.join("; ",
                NetworkTest.PROBE + " udp4 198.51.100.210 198.51.100.193 5000 own-ipv4",
                NetworkTest.PROBE + " udp4 198.51.100.211 198.51.100.193 5000 spoofed-ipv4",
                NetworkTest.PROBE + " udp6 2001:db8:5300::1:210 2001:db8:5300::1 5000 own-ipv6",
                NetworkTest.PROBE + " udp6 2001:db8:5300::1:211 2001:db8:5300::1 5000 spoofed-ipv6")));
        assertEquals(List.of("own-ipv4 from ::ffff:198.51.100.210", "own-ipv6 from 2001:db8:5300::1:210"), got);
    }

    @Test
    void destroyEndsTheAnswers() {
        NetworkTest.create(TestHost.agent(), C, onUplink(212));
        Await.until(Duration.ofSeconds(10), "the segment reaches C", () -> answers("198.51.100.212"));
        assertTrue(answers("2001:db8:5300::1:212"));
        assertTrue(proxies().contains("198.51.100.212"));
        TestHost.servers().destroy(C);
        assertEquals(List.of("198.51.100.210", "2001:db8:5300::1:210"), proxies(), "C's entries gone, A's kept");
        segment.run("ip", "neigh", "flush", "dev", "out0");
        for (String address : List.of("198.51.100.212", "2001:db8:5300::1:212")) {
            assertFalse(answers(address), address);
            assertFalse(segment.run("ip", "neigh", "show", address, "dev", "out0").contains("lladdr"), "nobody answers for " + address);
        }
        assertTrue(answers("198.51.100.210"), "A still reached");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "eth0:1", "a/b", "with space", "..", "sixteen-letters-", "quote\"d", "ctnone", "lo", "BRIDGE", "VETH"})
    void aBadUplinkIsRefusedNamingTheField(String uplink) {
        String name = uplink.equals("BRIDGE") ? "crb-" + otherNetwork
                : uplink.equals("VETH") ? TestHost.servers().get(B).network().hostInterface() : uplink;
        assertRefused(another("public", name));
    }

    @Test
    void anUplinkIsForPublicNetworksAndOneNetworkHasOne() {
        assertRefused(another("private", segment.hostEnd));
        assertRefused(new NetworkSpec(uplinkNetwork, "public", "acme", "198.51.100.213/28", "198.51.100.209", null, null, null, null));
    }

    /** A network of the segment's prefix that no server has. */
    NetworkSpec another(String kind, String uplink) {
        return new NetworkSpec("tm" + tag, kind, "acme", "198.51.100.221/30", "198.51.100.222", null, null, null, uplink);
    }

    private void assertRefused(NetworkSpec spec) {
        AgentException e = assertThrows(AgentException.class,
                () -> TestHost.servers().create(new CreateRequest("up-bad", "web", "busybox", null, true, spec)));
        assertEquals(AgentException.Kind.INVALID, e.kind(), e.getMessage());
        assertEquals("network.uplink", e.field(), e.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server("up-bad")), "no server left");
        assertEquals(List.of("198.51.100.210", "2001:db8:5300::1:210"), proxies(), "no address answered");
    }

    /** Whether the outside's ping (one, with the host's proxy delay of up to 0.8 s) gets its answer. */
    boolean answers(String address) {
        return segment.succeeds("busybox", address.contains(":") ? "ping6" : "ping", "-c", "1", "-W", "2", address);
    }

    /** The addresses the host answers for on the uplink, in the order ip lists them. */
    List<String> proxies() {
        return proxies(segment.hostEnd);
    }

    static List<String> proxies(String uplink) {
        return Command.run("ip", "neigh", "show", "proxy", "dev", uplink).lines().map(line -> line.split(" ")[0]).toList();
    }
}
