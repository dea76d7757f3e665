package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.server.Operation;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parallel orders and changes of limits at the edge of a tenant's quota: never over it, none lost. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class QuotaRaceTest {
    @Inject
    Fixtures fixtures;

    @BeforeEach
    @Transactional
    void world() {
        fixtures.wipe();
        fixtures.tenant("acme", fixtures.plan(5, 100_000, 100, 1_000_000));
        TestKeycloak.get().joinTenant("cleo", "acme");
        fixtures.host("host-a", 64, 1_000_000, 10_000_000);
        fixtures.host("host-b", 64, 1_000_000, 10_000_000);
    }

    @Test
    void twentyParallelOrdersForFivePlacesGiveExactlyFiveServers() throws Exception {
        List<Callable<Integer>> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = "{\"hostname\":\"web" + i + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
            orders.add(() -> Api.as("cleo").body(body).post("/api/v1/servers").statusCode());
        }
        assertEquals(Map.of(201, 5L, 422, 15L), statuses(orders));
        assertEquals(5, VirtualServer.count("tenant.slug = ?1 and desiredState <> ?2", "acme", VirtualServer.Desired.destroyed));
        assertEquals(5, Operation.count("kind", Operation.Kind.create), "one queued operation per server, none lost");
    }

    @Test
    void twentyParallelRaisesOfLimitsForFiveRaisesGiveExactlyFive() throws Exception {
        // twenty servers with 64 processes each (1280); the plan has room for five of them to get 100 more
        List<Callable<Integer>> raises = new ArrayList<>();
        for (long id : twentyServersWithRoomForFiveRaises()) {
            raises.add(() -> Api.as("cleo").body("{\"pids\":164}").put("/api/v1/servers/" + id + "/limits").statusCode());
        }
        assertEquals(Map.of(202, 5L, 422, 15L), statuses(raises));
        assertEquals(1780L, VirtualServer.getEntityManager().createQuery("select sum(v.pids) from VirtualServer v", Long.class).getSingleResult());
        assertEquals(5, Operation.count("kind", Operation.Kind.limits), "one queued operation per accepted change, none lost");
    }

    /** Sends the requests all at once; how many answered with each status. */
    static Map<Integer, Long> statuses(List<Callable<Integer>> requests) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            return pool.invokeAll(requests).stream().map(answer -> {
                try {
                    return answer.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.groupingBy(status -> status, Collectors.counting()));
        } finally {
            pool.shutdown();
        }
    }

    @Transactional
    List<Long> twentyServersWithRoomForFiveRaises() {
        Tenant acme = Tenant.findBySlug("acme").orElseThrow();
        acme.plan.maxPids = 20 * 64 + 5 * 100;
        Host host = Host.findByName("host-a").orElseThrow();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(fixtures.server(acme, host, "s" + i, VirtualServer.Observed.running).id);
        }
        return ids;
    }
}
