package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parallel orders at the edge of the hosts' room: never more servers on a host than it has room for, whether the
 * room is taken by another order or by a move that reserved it while the order was choosing.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class PlacementRaceTest {
    static final String ORDER = "{\"hostname\":\"%s\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;

    @BeforeEach
    @Transactional
    void world() {
        fixtures.wipe();
        fixtures.tenant("acme", fixtures.plan(30, 100_000, 100, 1_000_000));
        TestKeycloak.get().joinTenant("cleo", "acme");
    }

    @Test
    void twentyParallelOrdersForRoomForSixGiveSixThreeOnEachHost() throws Exception {
        hosts(192, 192); // three servers of 64 MiB each
        List<Callable<Integer>> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = ORDER.formatted("web" + i);
            orders.add(() -> Api.as("cleo").body(body).post("/api/v1/servers").statusCode());
        }
        assertEquals(Map.of(201, 6L, 503, 14L), QuotaRaceTest.statuses(orders));
        assertEquals(3, VirtualServer.count("host.name", "host-a"));
        assertEquals(3, VirtualServer.count("host.name", "host-b"));
    }

    /**
     * An order finds host-b the best fit, then waits for its lock, held by a move that takes all of its room; once the
     * move commits, the order sees host-b full and goes to host-a.
     */
    @Test
    void aMoveTakingTheChosenHostsRoomMeanwhileSendsTheOrderToTheNextHost() throws Exception {
        hosts(1000, 128);
        long moving = serverToMove();
        long to = Host.findByName("host-b").orElseThrow().id;
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> order;
            try (OpenTransaction move = OpenTransaction.after(() -> {
                OpenTransaction.lockHost(to);
                Host.getEntityManager().createNativeQuery("update virtual_server set moving_to_host_id = ?1 where id = ?2")
                        .setParameter(1, to).setParameter(2, moving).executeUpdate();
            })) {
                order = thread.submit(() -> Api.as("cleo").body(ORDER.formatted("late")).post("/api/v1/servers")
                        .then().statusCode(201).extract().<Integer>path("id"));
                Await.until("the order waiting for host-b's lock", () -> Db.number(db,
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%from host%'") > 0);
            }
            int id = order.get(30, TimeUnit.SECONDS);
            assertEquals("host-a", VirtualServer.<VirtualServer>findById((long) id).host.name);
        } finally {
            thread.shutdownNow();
        }
    }

    /** host-a and host-b, with this much memory (MiB) each. */
    @Transactional
    void hosts(long memoryA, long memoryB) {
        fixtures.host("host-a", 64, memoryA, 1_000_000);
        fixtures.host("host-b", 64, memoryB, 1_000_000);
    }

    /** A server of 128 MiB on host-a, to be moved: its id. */
    @Transactional
    long serverToMove() {
        VirtualServer v = fixtures.server(Tenant.findBySlug("acme").orElseThrow(), Host.findByName("host-a").orElseThrow(), "to-move",
                VirtualServer.Observed.running);
        v.memoryMib = 128;
        return v.id;
    }
}
