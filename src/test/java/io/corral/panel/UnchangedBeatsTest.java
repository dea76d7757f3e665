package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.agent.ServerState;
import io.corral.panel.heartbeat.UnchangedBeats;
import io.corral.panel.host.Host;
import io.corral.panel.host.StrayCopies;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Beats that change nothing, of many hosts at once, written together: each host is heard and gets its own stray copies;
 * a beat that changes something, of a host that was down or of one locked elsewhere, is left to be taken whole, its servers
 * as they were.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class UnchangedBeatsTest {
    private static final int QUIET = 12;
    @Inject
    Fixtures fixtures;
    @Inject
    UnchangedBeats beats;
    @Inject
    StrayCopies strays;

    /** Host ids: QUIET hosts with a running server each (the first with a stray copy), then one whose server stopped, one down. */
    record Fleet(List<Long> quiet, List<Long> servers, long stray, long stopped, long stoppedServer, long down) {
    }

    @Test
    void beatsOfManyHostsAtOnceAreEachTakenAsTheirOwn() throws Exception {
        Fleet fleet = fleet();
        List<Long> hosts = new ArrayList<>(fleet.quiet());
        hosts.add(fleet.stopped());
        hosts.add(fleet.down());
        Map<Long, Map<String, ServerState>> reported = new HashMap<>();
        for (int i = 0; i < QUIET; i++) {
            reported.put(fleet.quiet().get(i), running(fleet, i));
        }
        String stopped = Long.toString(fleet.stoppedServer());
        reported.put(fleet.stopped(), Map.of(stopped, new ServerState(stopped, "stopped", null, false, null, null, false)));
        reported.put(fleet.down(), Map.of());
        OffsetDateTime before = OffsetDateTime.now();

        ExecutorService threads = Executors.newFixedThreadPool(hosts.size());
        CountDownLatch go = new CountDownLatch(1);
        Map<Long, Future<Optional<List<Long>>>> answers = new HashMap<>();
        try {
            for (long host : hosts) {
                answers.put(host, threads.submit(() -> {
                    go.await();
                    return beats.heard(host, reported.get(host));
                }));
            }
            go.countDown();
            for (long host : fleet.quiet()) {
                List<Long> expected = host == fleet.quiet().get(0) ? List.of(fleet.stray()) : List.of();
                assertEquals(Optional.of(expected), answers.get(host).get(30, TimeUnit.SECONDS), "host " + host + "'s stray copies");
                assertTrue(heard(host).isAfter(before), "host " + host + " heard");
            }
            assertEquals(Optional.empty(), answers.get(fleet.stopped()).get(30, TimeUnit.SECONDS), "a server not as reported: taken whole");
            assertTrue(heard(fleet.stopped()).isAfter(before), "the host answered all the same");
            assertEquals(VirtualServer.Observed.running, VirtualServer.<VirtualServer>findById(fleet.stoppedServer()).observedState,
                    "left for the whole answer to change");
            assertEquals(Optional.empty(), answers.get(fleet.down()).get(30, TimeUnit.SECONDS), "a host that was down: taken whole");
            assertNull(heard(fleet.down()), "and left down, its coming back recorded by the whole answer");
            assertEquals(Host.Status.down, Host.<Host>findById(fleet.down()).status);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A host locked by another transaction (a server being placed, its usage being taken) is passed over, not waited for. */
    @Test
    void aHostLockedElsewhereIsTakenWholeAndHoldsNoOtherBack() throws Exception {
        Fleet fleet = fleet();
        long locked = fleet.quiet().get(1), free = fleet.quiet().get(2);
        try (OpenTransaction lock = OpenTransaction.after(() -> OpenTransaction.lockHost(locked))) {
            assertEquals(Optional.empty(), beats.heard(locked, running(fleet, 1)), "passed over while locked");
            assertEquals(Optional.of(List.of()), beats.heard(free, running(fleet, 2)), "the others are heard meanwhile");
        }
        assertEquals(Optional.of(List.of()), beats.heard(locked, running(fleet, 1)), "heard once free");
    }

    /** The report of quiet host i: its server running. */
    private static Map<String, ServerState> running(Fleet fleet, int i) {
        String server = fleet.servers().get(i).toString();
        return Map.of(server, new ServerState(server, "running", null, false, null, null, false));
    }

    OffsetDateTime heard(long hostId) {
        return Host.<Host>findById(hostId).lastHeartbeat;
    }

    @Transactional
    Fleet fleet() {
        fixtures.wipe();
        Plan plan = fixtures.plan(50, 2048, 2, 20480);
        Tenant tenant = fixtures.tenant("beating", plan);
        List<Long> quiet = new ArrayList<>(), servers = new ArrayList<>();
        for (int i = 0; i < QUIET; i++) {
            Host h = fixtures.host("quiet-" + i, 4, 8192, 65536);
            quiet.add(h.id);
            servers.add(quietServer(tenant, h, "q" + i).id);
        }
        VirtualServer elsewhere = quietServer(tenant, fixtures.host("elsewhere", 4, 8192, 65536), "moved-away");
        strays.record(elsewhere.id, quiet.get(0), "evacuated", null);
        Host stopped = fixtures.host("stopped", 4, 8192, 65536);
        VirtualServer stoppedServer = quietServer(tenant, stopped, "stopped-behind-the-panels-back");
        Host down = fixtures.host("down", 4, 8192, 65536);
        down.status = Host.Status.down;
        quietServer(tenant, down, "on-a-host-down");
        return new Fleet(quiet, servers, elsewhere.id, stopped.id, stoppedServer.id, down.id);
    }

    private VirtualServer quietServer(Tenant tenant, Host host, String hostname) {
        VirtualServer v = fixtures.server(tenant, host, hostname, VirtualServer.Observed.running);
        v.ownUserNamespace = false;
        return v;
    }
}
