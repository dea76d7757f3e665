package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.metering.SampleRound;
import io.corral.agent.metering.Sampler;
import io.corral.agent.metering.ServerStats;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.sys.Command;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Servers on real bridges, veths and nftables rules of this host, seen from an outside that is a
 * network namespace of the test's own (documentation ranges only): a public network with a server
 * in a user namespace of its own (A) and one without (B, of the agent with user namespaces off), a
 * private network with two servers of one tenant (C, D) and one of another (E), and a network the
 * host routes to, where the private network's IPv4 arrives masqueraded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkTest {
    static final String A = "net-a", B = "net-b", C = "net-c", D = "net-d", E = "net-e", F = "net-f";
    static final String PROBE = "/net-probe";
    final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    final String publicName = "tu" + tag, privateName = "tp" + tag;
    Outside neighbour, routed;

    NetworkSpec onPublic(String tenant, int host) {
        return new NetworkSpec(publicName, "public", tenant, "198.51.100." + host + "/25", "198.51.100.1",
                "2001:db8:5100::" + host + "/64", "2001:db8:5100::1", List.of("198.51.100.53", "2001:db8:5100::53"));
    }

    NetworkSpec onPrivate(String tenant, int host) {
        return new NetworkSpec(privateName, "private", tenant, "203.0.113." + host + "/24", "203.0.113.1", null, null, null);
    }

    static ServerView create(Agent on, String id, NetworkSpec network) {
        return on.servers().create(new CreateRequest(id, "host-" + id + ".example.org", "busybox", null, true, network));
    }

    @BeforeAll
    void servers() throws Exception {
        create(TestHost.agent(), A, onPublic("acme", 10));
        create(TestHost.agentWithoutUserNamespaces(), B, onPublic("beta", 11));
        create(TestHost.agent(), C, onPrivate("acme", 10));
        create(TestHost.agent(), D, onPrivate("acme", 11));
        create(TestHost.agent(), E, onPrivate("beta", 12));
        neighbour = Outside.onBridge("crb-" + publicName, "198.51.100.100/25", "2001:db8:5100::100/64");
        routed = Outside.routed("198.51.100.129/25", "198.51.100.130/25");
        for (String id : List.of(A, B, C, D, E)) {
            installProbe(id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent(), id);
        }
        // the neighbour's out0 gets its carrier a moment after it is up
        Await.until(Duration.ofSeconds(10), "the neighbour reaches A", () -> neighbour.succeeds("busybox", "ping", "-c", "1", "-W", "1", "198.51.100.10"));
    }

    @AfterAll
    void destroy() {
        TestHost.destroyQuietly(TestHost.agent(), A, C, D, E, F);
        TestHost.destroyQuietly(TestHost.agentWithoutUserNamespaces(), B);
        for (Outside outside : new Outside[] {neighbour, routed}) {
            if (outside != null) {
                outside.close();
            }
        }
        TestHost.deleteBridges(publicName, privateName);
    }

    @Test
    void aServerShowsItsAddressesAndHasItsFilesWritten() {
        for (String id : List.of(A, B)) {
            Agent on = id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent();
            NetworkView network = on.servers().get(id).network();
            assertEquals(Port.of(on.state().instance(), id).mac(), network.mac());
            assertTrue(Files.exists(Path.of("/sys/class/net", network.hostInterface())), "the host's end of " + id + "'s veth");
            String inside = TestHost.sh(on, id, "ip -o addr show dev eth0; ip -o link show dev eth0; ip route; ip -6 route");
            assertTrue(inside.contains(NetworkSpec.host(network.ipv4()) + "/25") && inside.contains(NetworkSpec.host(network.ipv6()) + "/64"), inside);
            assertTrue(inside.contains(network.mac()) && inside.contains(Port.of(on.state().instance(), id).linkLocal()), inside);
            assertTrue(inside.contains("default via 198.51.100.1") && inside.contains("default via 2001:db8:5100::1"), inside);
            String hosts = TestHost.sh(on, id, "cat /etc/hosts");
            assertTrue(hosts.contains(NetworkSpec.host(network.ipv4()) + "\thost-" + id + ".example.org host-" + id + "\n"), hosts);
            assertEquals("nameserver 198.51.100.53\nnameserver 2001:db8:5100::53\n", TestHost.sh(on, id, "cat /etc/resolv.conf"));
            assertEquals("0 0\n", TestHost.sh(on, id, "stat -c '%u %g' /etc/resolv.conf"), "the server's root owns what the agent wrote");
        }
    }

    @Test
    void aServiceThatInitStartsFindsTheNetworkUp() {
        for (String id : List.of(A, B)) {
            Agent on = id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent();
            TestHost.sh(on, id, "echo '::sysinit:/bin/sh -c \"ip -o addr show dev eth0 > /root/eth0-at-boot;"
                    + " ping -c 1 -W 2 198.51.100.1 > /root/ping-at-boot\"' >> /etc/inittab");
            on.servers().restart(id);
            Await.until(Duration.ofSeconds(10), id + "'s init has run its sysinit line",
                    () -> TestHost.exec(on, id, "grep", "-q", "packets received", "/root/ping-at-boot").exitCode() == 0);
            NetworkView network = on.servers().get(id).network();
            String eth0 = TestHost.sh(on, id, "cat /root/eth0-at-boot"), ping = TestHost.sh(on, id, "cat /root/ping-at-boot");
            assertTrue(eth0.contains(network.ipv4()) && eth0.contains(network.ipv6()), "eth0 had its addresses when init began: " + eth0);
            assertTrue(ping.contains("1 packets received"), "and reached its gateway at once: " + ping);
        }
    }

    @Test
    void theOutsideReachesServersOverIcmpAndTcpOnBothFamilies() {
        for (String id : List.of(A, B)) {
            Agent on = id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent();
            String v4 = NetworkSpec.host(on.servers().get(id).network().ipv4()), v6 = NetworkSpec.host(on.servers().get(id).network().ipv6());
            TestHost.sh(on, id, "mkdir -p /tmp/www && echo served-by-" + id + " > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");
            assertTrue(neighbour.succeeds("busybox", "ping", "-c", "1", "-W", "2", v4), "ping " + id + " on " + v4);
            assertTrue(neighbour.succeeds("busybox", "ping6", "-c", "1", "-W", "2", v6), "ping " + id + " on " + v6);
            assertEquals("served-by-" + id, neighbour.run("curl", "-s", "-m", "5", "http://" + v4 + ":8080/index.html"));
            assertEquals("served-by-" + id, neighbour.run("curl", "-s", "-m", "5", "-g", "http://[" + v6 + "]:8080/index.html"));
        }
    }

    @Test
    void onAPrivateNetworkOnlyServersOfOneTenantReachEachOther() {
        assertEquals(0, ping(TestHost.agent(), C, "203.0.113.11"), "C and D are acme's");
        assertEquals(0, ping(TestHost.agent(), D, "203.0.113.10"));
        assertNotEquals(0, ping(TestHost.agent(), C, "203.0.113.12"), "E is beta's");
        assertNotEquals(0, ping(TestHost.agent(), E, "203.0.113.10"));
        assertEquals(0, ping(TestHost.agent(), E, "203.0.113.1"), "E itself is on the network: it reaches its gateway");
        assertEquals(0, ping(TestHost.agent(), A, "198.51.100.11"), "on a public network tenants reach each other, as from anywhere");
    }

    @Test
    void nothingIsRoutedThroughTheGatewayBackIntoAPrivateNetwork() throws Exception {
        String gateway = Port.bridgeMac("crb-" + privateName), d = TestHost.servers().get(D).network().mac();
        assertEquals(List.of("direct from 203.0.113.10"), receivedInside(D, () -> TestHost.sh(C, String.join("; ",
                PROBE + " ether eth0 " + TestHost.servers().get(C).network().mac() + " " + d + " 203.0.113.10 203.0.113.11 5000 direct",
                PROBE + " ether eth0 " + TestHost.servers().get(C).network().mac() + " " + gateway + " 203.0.113.10 203.0.113.11 5000 routed"))),
                "a server of the tenant reaches another directly, and nothing goes round through the host");
        assertEquals(List.of(), receivedInside(E, () -> TestHost.sh(C,
                PROBE + " ether eth0 " + TestHost.servers().get(C).network().mac() + " " + gateway + " 203.0.113.10 203.0.113.12 5000 routed")),
                "so another tenant's server is not reached through the gateway either");
    }

    @Test
    void nothingNewIsRoutedIntoAPrivateNetworkFromTheAgentsOtherNetworks() {
        assertNotEquals(0, ping(TestHost.agent(), A, "203.0.113.10"),
                "a public network's server, of any tenant, does not reach a private network's through the host");
        assertEquals(0, ping(TestHost.agent(), C, "198.51.100.10"), "while the private one reaches it, and is answered");
    }

    @Test
    void privateIpv4LeavesMasqueraded() throws Exception {
        // the routed outside has no route back to 203.0.113.0/24: only the host's own address can be answered
        assertEquals(0, ping(TestHost.agent(), C, "198.51.100.130"));
        assertEquals(List.of("from-c from ::ffff:198.51.100.129"),
                received(routed, () -> TestHost.sh(C, PROBE + " udp4 203.0.113.10 198.51.100.130 5000 from-c")));
    }

    @Test
    void spoofedAddressesAndMacsAreDropped() throws Exception {
        for (String id : List.of(A, B)) {
            Agent on = id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent();
            NetworkView network = on.servers().get(id).network();
            String v4 = NetworkSpec.host(network.ipv4()), v6 = NetworkSpec.host(network.ipv6());
            List<String> got = received(neighbour, () -> TestHost.sh(on, id, String.join("; ",
                    PROBE + " udp4 " + v4 + " 198.51.100.100 5000 own-ipv4",
                    PROBE + " udp4 198.51.100.99 198.51.100.100 5000 spoofed-ipv4",
                    PROBE + " udp6 " + v6 + " 2001:db8:5100::100 5000 own-ipv6",
                    PROBE + " udp6 2001:db8:5100::99 2001:db8:5100::100 5000 spoofed-ipv6",
                    PROBE + " ether eth0 " + network.mac() + " ff:ff:ff:ff:ff:ff " + v4 + " 198.51.100.100 5000 own-mac",
                    PROBE + " ether eth0 02:00:5e:00:53:99 ff:ff:ff:ff:ff:ff " + v4 + " 198.51.100.100 5000 spoofed-mac")));
            assertEquals(List.of("own-ipv4 from ::ffff:" + v4, "own-ipv6 from " + v6, "own-mac from ::ffff:" + v4), got,
                    id + ": what the server sends as itself arrives, nothing else");
        }
    }

    @Test
    void theHostsPortsAreUnreachableFromServers() throws Exception {
        try (ServerSocket agentPort = new ServerSocket()) {
            agentPort.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            int port = agentPort.getLocalPort();
            try (Socket fromHost = new Socket()) {
                fromHost.connect(new InetSocketAddress("198.51.100.1", port), 2000); // the control: it listens on the gateway's address
            }
            for (String id : List.of(A, B)) {
                Agent on = id.equals(B) ? TestHost.agentWithoutUserNamespaces() : TestHost.agent();
                assertEquals(0, ping(on, id, "198.51.100.1"), id + " reaches its gateway");
                ExecResult connect = TestHost.exec(on, id, "sh", "-c", "echo hi | nc -w 2 198.51.100.1 " + port);
                assertNotEquals(0, connect.exitCode(), id + " must not reach the host's port " + port + ": " + connect.stdout());
            }
        }
    }

    @Test
    void countersMatchTheBytesOnTheWire() throws Exception {
        Sampler sampler = new Sampler(TestHost.agent().meter(), TestHost.agent().samples());
        SampleRound.ServerSample before = sampleOf(sampler.sample(), A);
        long[] wireBefore = neighbour.bytes();
        Process sink = neighbour.start("sh", "-c", "busybox nc -l -p 9000 > /dev/null");
        Await.until(Duration.ofSeconds(10), "the neighbour listens", () -> neighbour.run("busybox", "netstat", "-ltn").contains(":9000"));
        TestHost.sh(A, "dd if=/dev/zero bs=64k count=80 2>/dev/null | nc 198.51.100.100 9000");
        TestHost.sh(A, "sleep 30 | nc -l -p 9001 > /dev/null 2>&1 &"); // nc ends at the end of its input: none before the peer's
        Await.until(Duration.ofSeconds(10), "A listens", () -> TestHost.sh(A, "netstat -ltn").contains(":9001"));
        neighbour.run("sh", "-c", "dd if=/dev/zero bs=64k count=80 2>/dev/null | busybox nc 198.51.100.10 9001");
        assertTrue(sink.waitFor(10, TimeUnit.SECONDS));
        SampleRound.ServerSample after = sampleOf(sampler.sample(), A);
        long[] wireAfter = neighbour.bytes();
        long sent = after.networkOutBytes() - before.networkOutBytes(), received = after.networkInBytes() - before.networkInBytes();
        long intoNeighbour = wireAfter[0] - wireBefore[0], fromNeighbour = wireAfter[1] - wireBefore[1];
        assertTrue(sent > 80 * 65536 && received > 80 * 65536, "sent " + sent + ", received " + received);
        assertEquals(intoNeighbour, sent, intoNeighbour / 100.0, "A's bytes out against what reached the neighbour");
        assertEquals(fromNeighbour, received, fromNeighbour / 100.0, "A's bytes in against what the neighbour sent");
        ServerStats stats = TestHost.servers().stats(A);
        assertTrue(stats.networkOutBytes() >= after.networkOutBytes() && stats.networkInBytes() >= after.networkInBytes());
    }

    @Test
    void stopRemovesTheVethAndKeepsRulesAndCountsUntilDestroyRemovesEverything() {
        Agent on = TestHost.agent();
        create(on, F, onPrivate("gamma", 20));
        String port = on.servers().get(F).network().hostInterface();
        assertEquals(0, ping(on, F, "203.0.113.1"));
        long sent = on.servers().stats(F).networkOutBytes();
        assertTrue(sent > 0);
        on.servers().stop(F);
        assertFalse(Files.exists(Path.of("/sys/class/net", port)), "stop removes the veth");
        assertTrue(ruleset().contains("port-" + port), "the rules stay with the server");
        on.servers().start(F);
        assertTrue(on.servers().stats(F).networkOutBytes() >= sent, "the counters go on across a restart, within the cgroup's epoch");
        assertEquals(0, ping(on, F, "203.0.113.1"));

        on.servers().destroy(F);
        assertFalse(Files.exists(Path.of("/sys/class/net", port)), "no interface left");
        String rules = ruleset();
        assertFalse(rules.contains(port), "no rule, counter or element of the port left");
        assertFalse(rules.contains("tenant-gamma"), "nor its tenant's chain, gamma having no other server");
        assertTrue(rules.contains("tenant-acme"), "while acme's stays for C and D");
    }

    static String ruleset() {
        return Command.run("nft", "list", "ruleset");
    }

    static int ping(Agent on, String id, String address) {
        return TestHost.exec(on, id, "ping", "-c", "1", "-W", "2", address).exitCode();
    }

    static SampleRound.ServerSample sampleOf(SampleRound round, String id) {
        return round.servers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** What a listener in the outside receives on UDP port 5000 while send runs. */
    static List<String> received(Outside outside, Runnable send) throws Exception {
        Process listener = outside.start(compileProbe().toAbsolutePath().toString(), "listen", "5000", "3");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(listener.getInputStream()))) {
            assertEquals("listening", lines.readLine());
            send.run();
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS));
            return lines.lines().toList();
        }
    }

    /** What a listener inside the server receives on UDP port 5000 while send runs, as "PAYLOAD from IPV4". */
    static List<String> receivedInside(String id, Runnable send) {
        // the file made before the listener, whose redirection its background shell opens only later: a cat may come first
        TestHost.sh(id, "rm -f /tmp/received; : > /tmp/received; " + PROBE + " listen 5000 3 > /tmp/received 2>&1 &");
        Await.until(Duration.ofSeconds(10), id + " listens", () -> TestHost.sh(id, "cat /tmp/received").startsWith("listening"));
        send.run();
        Await.until(Duration.ofSeconds(10), id + "'s listener done", () -> TestHost.exec(id, "pidof", "net-probe").exitCode() != 0);
        return TestHost.sh(id, "cat /tmp/received").lines().skip(1).map(line -> line.replace("::ffff:", "")).toList();
    }

    /** The probe at PROBE in the server's own layer, owned by its root, as if the customer had put it there. */
    static void installProbe(Agent on, String id) throws Exception {
        Path target = on.state().server(id).resolve("disk/upper").resolve(PROBE.substring(1));
        Files.copy(compileProbe(), target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServerView server = on.servers().get(id);
        if (server.users() != null) {
            Files.setAttribute(target, "unix:uid", (int) server.users().first());
        }
    }

    static Path compileProbe() throws Exception {
        Path out = Path.of("target/net-probe"), source = Path.of("src/test/c/net-probe.c");
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Command.run("gcc", "-static", "-O2", "-o", out.toString(), source.toString());
        }
        return out;
    }
}
