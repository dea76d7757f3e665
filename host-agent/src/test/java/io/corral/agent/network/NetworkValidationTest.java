package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad network is refused naming the field and the rule, and leaves nothing: no server, no bridge. */
class NetworkValidationTest {
    static final String ID = "net-val", NAME = "tv1";
    static final String BASE = "\"name\":\"tv1\",\"kind\":\"public\",\"tenant\":\"acme\",";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "network.name     | \"name\":\"Pub_1\",\"kind\":\"public\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\"",
        "network.name     | \"name\":\"ninechars\",\"kind\":\"public\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\"",
        "network.kind     | \"name\":\"tv1\",\"kind\":\"dmz\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\"",
        "network.tenant   | \"name\":\"tv1\",\"kind\":\"private\",\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\"",
        "network.tenant   | \"name\":\"tv1\",\"kind\":\"private\",\"tenant\":\"Acme!\",\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"198.51.100.300/25\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"198.51.100.20\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"example.org/25\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"10.1/8\",\"gateway4\":\"10.0.0.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"198.51.100.20/31\",\"gateway4\":\"198.51.100.21\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"127.0.0.5/8\",\"gateway4\":\"127.0.0.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"224.0.0.5/24\",\"gateway4\":\"224.0.0.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"198.51.100.0/25\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"ipv4\":\"198.51.100.127/25\",\"gateway4\":\"198.51.100.1\"",
        "network.ipv4     | " + BASE + "\"resolvers\":[\"198.51.100.53\"]",
        "network.gateway4 | " + BASE + "\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"203.0.113.1\"",
        "network.gateway4 | " + BASE + "\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.20\"",
        "network.gateway4 | " + BASE + "\"ipv4\":\"198.51.100.20/25\"",
        "network.gateway4 | " + BASE + "\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"2001:db8::1\"",
        "network.ipv6     | " + BASE + "\"ipv6\":\"2001:db8::zz/64\",\"gateway6\":\"2001:db8::1\"",
        "network.ipv6     | " + BASE + "\"ipv6\":\"fe80::5/64\",\"gateway6\":\"fe80::1\"",
        "network.ipv6     | " + BASE + "\"ipv6\":\"2001:db8::5/8\",\"gateway6\":\"2001:db8::1\"",
        "network.ipv6     | " + BASE + "\"ipv6\":\"::ffff:198.51.100.5/120\",\"gateway6\":\"::ffff:198.51.100.1\"",
        "network.gateway6 | " + BASE + "\"ipv6\":\"2001:db8:1::5/64\",\"gateway6\":\"2001:db8:2::1\"",
        "network.gateway4 | " + BASE + "\"ipv6\":\"2001:db8:1::5/64\",\"gateway6\":\"2001:db8:1::1\",\"gateway4\":\"198.51.100.1\"",
        "network.resolvers[1] | " + BASE + "\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\",\"resolvers\":[\"198.51.100.53\",\"resolver.example\"]",
        "network.resolvers | " + BASE + "\"ipv4\":\"198.51.100.20/25\",\"gateway4\":\"198.51.100.1\",\"resolvers\":[\"198.51.100.53\",\"198.51.100.54\",\"198.51.100.55\",\"198.51.100.56\"]",
    })
    void aBadNetworkIsRefusedNamingTheField(String field, String network) throws Exception {
        assertRefused(field, Json.MAPPER.readValue("{" + network + "}", NetworkSpec.class));
    }

    @Test
    void anAddressInANetworkOfTheHostsOwnInterfacesIsRefused() {
        // an interface of the host's (as its uplink would be) on 198.51.100.240/28
        String link = "ctv" + Long.toString(ProcessHandle.current().pid(), 36);
        Command.run("ip", "link", "add", link, "type", "veth", "peer", "name", link + "p");
        try {
            Command.run("ip", "address", "add", "198.51.100.241/28", "dev", link);
            AgentException e = assertRefused("network.ipv4", new NetworkSpec(NAME, "public", "acme", "198.51.100.245/28",
                    "198.51.100.242", null, null, null));
            assertTrue(e.getMessage().contains(link), e.getMessage());
        } finally {
            Command.run("ip", "link", "delete", link);
        }
    }

    @Test
    void serversOfOneNetworkAgreeAndNeverShareAnAddress() {
        NetworkSpec first = new NetworkSpec(NAME, "public", "acme", "198.51.100.20/25", "198.51.100.1",
                "2001:db8:5101::20/64", "2001:db8:5101::1", null);
        TestHost.servers().create(new CreateRequest("net-val-first", "first", "busybox", null, false, first));
        try {
            assertRefused("network.ipv4", new NetworkSpec("tv2", "public", "beta", "198.51.100.20/25", "198.51.100.2", null, null, null));
            assertRefused("network.ipv6", new NetworkSpec(NAME, "public", "beta", "198.51.100.21/25", "198.51.100.1",
                    "2001:db8:5101:0::20/64", "2001:db8:5101::1", null));
            assertRefused("network.gateway4", new NetworkSpec(NAME, "public", "beta", "198.51.100.21/25", "198.51.100.2",
                    "2001:db8:5101::21/64", "2001:db8:5101::1", null));
            assertRefused("network.kind", new NetworkSpec(NAME, "private", "beta", "198.51.100.21/25", "198.51.100.1",
                    "2001:db8:5101::21/64", "2001:db8:5101::1", null));
            assertRefused("network.gateway4", new NetworkSpec("tv2", "public", "beta", "198.51.100.21/25", "198.51.100.1", null, null, null));
        } finally {
            TestHost.destroyQuietly("net-val-first");
        }
    }

    static AgentException assertRefused(String field, NetworkSpec network) {
        AgentException e = assertThrows(AgentException.class,
                () -> TestHost.servers().create(new CreateRequest(ID, "web", "busybox", null, true, network)));
        assertEquals(AgentException.Kind.INVALID, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server(ID)), "no server left");
        assertFalse(Files.exists(Path.of("/sys/class/net/crb-" + network.name())), "no bridge made");
        return e;
    }
}
