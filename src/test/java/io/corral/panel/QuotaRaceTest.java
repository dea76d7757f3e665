package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.operation.Operation;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parallel orders at the edge of a tenant's quota: never over it, none lost. */
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
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = "{\"hostname\":\"web" + i + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
            answers.add(pool.submit(() -> Api.as("cleo").body(body).post("/api/v1/servers").statusCode()));
        }
        int created = 0, refused = 0;
        for (Future<Integer> answer : answers) {
            int status = answer.get();
            if (status == 201) {
                created++;
            } else if (status == 422) {
                refused++;
            } else {
                throw new AssertionError("unexpected status " + status);
            }
        }
        pool.shutdown();
        assertEquals(5, created);
        assertEquals(15, refused);
        assertEquals(5, VirtualServer.count("tenant.slug = ?1 and desiredState <> ?2", "acme", VirtualServer.Desired.destroyed));
        assertEquals(5, Operation.count("kind", Operation.Kind.create), "one queued operation per server, none lost");
    }
}
