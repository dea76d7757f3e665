package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.operation.OperationSteps;
import io.corral.panel.plan.Plan;
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
 * Parallel orders and raises of limits at the edge of the hosts' room: never more on a host than it has room for,
 * whether the room is taken by another order, by a move that reserved it while the order was choosing, or by a raise.
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
    @Inject
    OperationSteps steps;

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

    /**
     * Twenty servers of 64 MiB, each of a tenant of its own (so no tenant's lock puts the raises in a row), on a host with
     * room for five of them to grow by 100 MiB: twenty raises at once give five.
     */
    @Test
    void twentyParallelRaisesForRoomForFiveGiveFive() throws Exception {
        hosts(20 * 64 + 5 * 100, 100_000);
        List<Callable<Integer>> raises = new ArrayList<>();
        for (long id : serversOfTenantsOfTheirOwn(20)) {
            raises.add(() -> Api.as("ada").body("{\"memoryMiB\":164}").put("/api/v1/servers/" + id + "/limits").statusCode());
        }
        assertEquals(Map.of(202, 5L, 503, 15L), QuotaRaceTest.statuses(raises));
        assertEquals(20 * 64 + 5 * 100L, VirtualServer.getEntityManager()
                .createQuery("select sum(v.memoryMib) from VirtualServer v where v.host.name = 'host-a'", Long.class).getSingleResult());
    }

    /** The refusal names the limit without room; a server being moved shrinks now and grows once it has arrived. */
    @Test
    void aServerGrowsOnlyIntoRoomItsHostHas() {
        hosts(256, 1000);
        long id = servers(1).get(0);
        Api.as("cleo").body("{\"memoryMiB\":320}").put("/api/v1/servers/" + id + "/limits").then().statusCode(503)
                .body("field", equalTo("memoryMiB"), "detail", startsWith("memoryMiB: host host-a has no room for server " + id
                        + " to grow to 320 MiB memory"));
        Api.as("cleo").body("{\"memoryMiB\":256}").put("/api/v1/servers/" + id + "/limits").then().statusCode(202);
        moving(id);
        Api.as("cleo").body("{\"diskMiB\":128}").put("/api/v1/servers/" + id + "/limits").then().statusCode(409)
                .body("detail", startsWith("server " + id + " is being moved to host host-b"));
        Api.as("cleo").body("{\"memoryMiB\":128}").put("/api/v1/servers/" + id + "/limits").then().statusCode(202);
    }

    /**
     * A server lowered from 128 to 64 MiB on a host of 128 MiB keeps its room until its agent has the change: an order
     * meanwhile finds no room, the change failing puts back what the server held, and only a change that succeeded
     * frees the room. With two changes queued, the later one asks for what the earlier asked, and failing, puts back what
     * the agent has after the earlier one.
     */
    @Test
    void aLoweredLimitFreesRoomOnlyOnceItsAgentHasIt() {
        hosts(128, 32);
        long id = serverToMove();
        String order = ORDER.formatted("beside");
        int refused = lower(id, "{\"memoryMiB\":64}");
        assertEquals(128, memory(id), "held until the agent has it");
        Api.as("cleo").body(order).post("/api/v1/servers").then().statusCode(503);
        steps.fail(refused, "the agent refused it");
        assertEquals(128, memory(id), "put back");

        int lowered = lower(id, "{\"memoryMiB\":64}");
        int cpus = lower(id, "{\"cpus\":0.5}");
        assertEquals("64 0.5", requested(cpus), "the later change asks for what the earlier asked");
        steps.succeed(lowered, VirtualServer.Observed.running);
        assertEquals(128, memory(id), "held for the change still queued");
        steps.fail(cpus, "the agent refused it");
        assertEquals(64, memory(id), "what the agent has after the change that succeeded");
        Api.as("cleo").body(order).post("/api/v1/servers").then().statusCode(201);
    }

    /** A change queued behind one that failed asks again for what it named, on what the agent kept. */
    @Test
    void aChangeQueuedBehindOneThatFailedAsksAgainOnWhatTheAgentHas() {
        hosts(1000, 32);
        long id = serverToMove();
        int lowered = lower(id, "{\"memoryMiB\":64}");
        int cpus = lower(id, "{\"cpus\":0.5}");
        steps.fail(lowered, "the agent refused it");
        assertEquals("128 0.5", requested(cpus), "memory as the agent kept it, CPUs as asked");
        assertEquals(128, memory(id));
    }

    /**
     * A server ordered, then grown before its create has run, is made with what it was ordered with: the change, should it
     * fail, puts that back, and the agent must not hold more meanwhile.
     */
    @Test
    void aServerMadeWhileAChangeIsQueuedIsMadeWithWhatItHadBefore() {
        hosts(1000, 32);
        int id = Api.as("cleo").body(ORDER.formatted("grown")).post("/api/v1/servers").then().statusCode(201).extract().path("id");
        lower(id, "{\"memoryMiB\":256}");
        assertEquals(256, memory(id), "held for the change");
        // the job is the worker's own record; its text names what it sends
        String create = String.valueOf((Object) steps.claim(java.time.Duration.ofMinutes(1), java.util.Set.of()).orElseThrow());
        assertTrue(create.contains("kind=create") && create.contains("limits=Limits[memoryMiB=64,"), create);
    }

    /** Asks for a change of the server's limits: its operation. */
    int lower(long id, String limits) {
        return Api.as("cleo").body(limits).put("/api/v1/servers/" + id + "/limits").then().statusCode(202).extract().path("id");
    }

    /** The memory and CPUs the change asks for. */
    String requested(int operation) {
        return Db.text(db, "select (payload::jsonb #>> '{requested,memoryMiB}') || ' ' || (payload::jsonb #>> '{requested,cpus}')"
                + " from operation where id = " + operation);
    }

    long memory(long id) {
        return Db.number(db, "select memory_mib from virtual_server where id = " + id);
    }

    /** host-a and host-b, with this much memory (MiB) each. */
    @Transactional
    void hosts(long memoryA, long memoryB) {
        fixtures.host("host-a", 64, memoryA, 1_000_000);
        fixtures.host("host-b", 64, memoryB, 1_000_000);
    }

    /** This many servers of 64 MiB on host-a: their ids. */
    @Transactional
    List<Long> servers(int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(fixtures.server(Tenant.findBySlug("acme").orElseThrow(), Host.findByName("host-a").orElseThrow(), "s" + i,
                    VirtualServer.Observed.running).id);
        }
        return ids;
    }

    /** This many servers of 64 MiB on host-a, each of a tenant of its own: their ids. */
    @Transactional
    List<Long> serversOfTenantsOfTheirOwn(int count) {
        Plan plan = Tenant.findBySlug("acme").orElseThrow().plan;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(fixtures.server(fixtures.tenant("own" + i, plan), Host.findByName("host-a").orElseThrow(), "s" + i,
                    VirtualServer.Observed.running).id);
        }
        return ids;
    }

    /** The server as if a move to host-b were under way. */
    @Transactional
    void moving(long id) {
        VirtualServer.<VirtualServer>findById(id).movingTo = Host.findByName("host-b").orElseThrow();
    }

    /** A server of 128 MiB on host-a, to be moved: its id. */
    @Transactional
    long serverToMove() {
        VirtualServer v = VirtualServer.findById(servers(1).get(0));
        v.memoryMib = 128;
        return v.id;
    }
}
