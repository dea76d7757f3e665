package io.corral.agent.containment;

import static io.corral.agent.TestHost.agent;
import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.TestHost;
import io.corral.agent.host.HostFacts;
import io.corral.agent.lifecycle.CreateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Servers with a user namespace of their own: root inside is root of a host id range no other server
 * has, owns its system through the shifted template, and keeps what an ordinary system needs.
 */
class UserNamespaceTest {
    static final String A = "users-a", B = "users-b", C = "users-c", D = "users-d", E = "users-e", LATER = "users-later";

    @BeforeAll
    static void twoServers() {
        running(A);
        running(B);
    }

    @AfterAll
    static void destroy() {
        destroyQuietly(A, B, C, D, E, LATER);
    }

    @Test
    void eachServerHasARangeOfItsOwnAndItsRootIsThatRangesFirstIdOnTheHost() throws Exception {
        UserRange a = servers().get(A).users(), b = servers().get(B).users();
        assertNotNull(a);
        assertNotNull(b);
        assertEquals(UserRange.SIZE, a.count());
        assertTrue(a.first() >= UserRange.FIRST && b.first() >= UserRange.FIRST, a + " " + b);
        assertTrue(a.first() + a.count() <= b.first() || b.first() + b.count() <= a.first(), "ranges overlap: " + a + " " + b);

        assertEquals("0 0\n", sh(A, "echo $(id -u) $(id -g)"));
        assertEquals("0 " + a.first() + " " + a.count(), uidMap(agent(), A));
        String hostView = Files.readAllLines(Path.of("/proc/" + servers().get(A).initPid() + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertEquals(List.of("Uid:", "" + a.first(), "" + a.first(), "" + a.first(), "" + a.first()),
                List.of(hostView.split("\\s+")), "the server's init is the range's first id to the host");
        assertTrue(servers().access().isolation(A).userNamespace().contains(a.first() + "–" + (a.first() + a.count() - 1)),
                servers().access().isolation(A).userNamespace());
        // its own cgroup namespace: the server's groups are the root of the tree it sees, for init and exec alike
        for (String cgroups : List.of(sh(A, "cat /proc/self/cgroup"), sh(A, "cat /proc/1/cgroup"))) {
            assertTrue(cgroups.lines().allMatch(l -> l.endsWith(":/")), cgroups);
        }
    }

    @Test
    void theTemplateIsRootsInsideAndWhatTheServerWritesBelongsToItsRangeOnTheHost() throws Exception {
        UserRange a = servers().get(A).users();
        assertEquals("0 0\n", sh(A, "ls -ln /bin/busybox | awk '{print $3, $4}'"), "the shifted template is root's inside");
        sh(A, "echo mine > /etc/mine && mkdir -p /home/web && chown 1000:1001 /home/web && rm /etc/inittab");
        Path upper = agent().state().server(A).resolve("disk/upper");
        assertEquals((int) a.first(), Files.getAttribute(upper.resolve("etc/mine"), "unix:uid"));
        assertEquals((int) (a.first() + 1000), Files.getAttribute(upper.resolve("home/web"), "unix:uid"));
        assertEquals((int) (a.first() + 1001), Files.getAttribute(upper.resolve("home/web"), "unix:gid"));
        Path template = agent().state().templates().resolve("busybox/rootfs");
        assertEquals(0, Files.getAttribute(template.resolve("etc/inittab"), "unix:uid"), "the template itself is not shifted");
        assertTrue(Files.exists(template.resolve("etc/inittab")), "removing a template file inside removes it from the server only");
    }

    @Test
    void rootInsideServesOnAPortBelow1024() {
        assertEquals("low port\n", sh(B, "mkdir -p /tmp/w && echo low port > /tmp/w/index.html && httpd -p 127.0.0.1:80 -h /tmp/w"
                + " && for i in $(seq 100); do wget -qO- http://127.0.0.1/ 2>/dev/null && break; sleep 0.02; done"));
    }

    @Test
    void aDestroyedServersRangeGoesToTheNextServer() {
        servers().create(new CreateRequest(C, "host-c", "busybox", null, false));
        UserRange first = servers().get(C).users();
        servers().destroy(C);
        servers().create(new CreateRequest(C, "host-c", "busybox", null, false));
        assertEquals(first, servers().get(C).users(), "the lowest free range is taken again");
    }

    @Test
    void twoAgentsOfOneHostCreatingAtOnceTakeDifferentRanges() {
        Agent other = Agent.open(agent().state().root(), TestHost.STOP_GRACE, true); // as the command line beside `serve`
        CompletableFuture<Void> here = CompletableFuture.runAsync(() -> servers().create(new CreateRequest(D, "host-d", "busybox", null, false)));
        CompletableFuture<Void> there = CompletableFuture.runAsync(() -> other.servers().create(new CreateRequest(E, "host-e", "busybox", null, false)));
        here.join();
        there.join();
        assertNotEquals(servers().get(D).users(), servers().get(E).users());
    }

    @Test
    void theHostSaysWhetherServersGetOneAndCountsThoseWithout() {
        HostFacts on = servers().facts();
        assertTrue(on.userNamespaces());
        assertNull(on.userNamespacesUnavailable());
        assertEquals(0, on.serversWithoutUserNamespace(), "its servers all have a range");
        Agent off = TestHost.agentWithoutUserNamespaces();
        off.servers().create(new CreateRequest(LATER, "host-later", "busybox", null, false));
        try {
            assertNull(off.servers().get(LATER).users());
            HostFacts facts = off.servers().facts();
            assertFalse(facts.userNamespaces());
            assertTrue(facts.userNamespacesUnavailable().contains("turned off"), facts.userNamespacesUnavailable());
            assertTrue(facts.serversWithoutUserNamespace() >= 1);
        } finally {
            off.servers().destroy(LATER);
        }
    }

    @Test
    void aServerKeepsItsRangeWhenTheHostTurnsUserNamespacesOff() {
        Agent turnedOff = Agent.open(agent().state().root(), TestHost.STOP_GRACE, false);
        UserRange a = servers().get(A).users();
        assertEquals("0 " + a.first() + " " + a.count(), uidMap(turnedOff, A), "exec still enters the server's own range");
        assertEquals(a, turnedOff.servers().get(A).users());
    }

    /** The server's uid_map as one line, "inside outside count". */
    private static String uidMap(Agent on, String id) {
        return sh(on, id, "cat /proc/self/uid_map").trim().replaceAll("\\s+", " ");
    }
}
