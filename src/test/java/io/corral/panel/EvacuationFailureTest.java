package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.operation.OperationSteps;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An evacuation whose create fails on the target (its agent unreachable, say), the worker off and its steps taken here:
 * the server goes back to the down host as it was, with its address and its forward's port held there, the restore
 * queued after the create fails with it, and what the attempt may have left on the target is recorded as a stray.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class EvacuationFailureTest {
    @Inject
    Fixtures fixtures;
    @Inject
    OperationSteps steps;

    @Test
    void aFailedCreatePutsTheServerBackOnTheDownHost() {
        long[] ids = world();
        long down = ids[0], target = ids[1], server = ids[2];
        Api.as("ada").contentType(ContentType.JSON).body("{\"hostId\":" + down + "}").post("/api/v1/evacuations").then().statusCode(200)
                .body("evacuated", hasSize(1)).body("evacuated[0].toHostId", equalTo((int) target));
        Api.as("ada").get("/api/v1/servers/" + server).then().body("hostId", equalTo((int) target)).body("observedState", equalTo("creating"));
        // the port the server forwards stays its own on the down host, where its old copy still forwards it
        assertEquals(1L, count("select count(*) from port_forward f join virtual_server v on v.id = f.server_id where v.host_id = " + target));

        int create = Api.as("ada").get("/api/v1/operations?serverId=" + server).then().extract().path("items.find { it.kind == 'create' }.id");
        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isPresent(), "the create claimed, as a worker would");
        steps.fail(create, "host target cannot be reached");

        Api.as("ada").get("/api/v1/servers/" + server).then().body("hostId", equalTo((int) down)).body("observedState", equalTo("unknown"))
                .body("desiredState", equalTo("running")).body("network.ipv4", equalTo("198.51.100.10/24"));
        Api.as("ada").get("/api/v1/operations?serverId=" + server).then()
                .body("items.find { it.kind == 'backup_restore' }.status", equalTo("failed"))
                .body("items.find { it.kind == 'backup_restore' }.error", containsString("the evacuation failed before it"));
        assertEquals(List.of(target), strays(server), "what the attempt made on the target is removed when that host answers");
        assertTrue(steps.claim(Duration.ofMinutes(1), java.util.Set.of()).isEmpty(), "nothing of the evacuation is left to run");
        // and it can be evacuated again
        Api.as("ada").contentType(ContentType.JSON).body("{\"hostId\":" + down + "}").post("/api/v1/evacuations").then().statusCode(200)
                .body("evacuated", hasSize(1));
    }

    /** A down host and a target sharing its store, on one private network; a server on the down host with an address, a forward and a backup. */
    @Transactional
    long[] world() {
        fixtures.wipe();
        Tenant t = fixtures.tenant("acme", fixtures.plan(4, 100_000, 100, 1_000_000));
        Host down = fixtures.host("down", 64, 1_000_000, 10_000_000), target = fixtures.host("target", 64, 1_000_000, 10_000_000);
        down.status = Host.Status.down;
        down.backupStore = "shared";
        target.backupStore = "shared";
        VirtualServer v = fixtures.server(t, down, "web.acme", VirtualServer.Observed.unknown);
        sql("insert into network (name, kind, ipv4_prefix, gateway4) values ('evac', 'private', '198.51.100.0/24', '198.51.100.1')");
        long network = count("select id from network where name = 'evac'");
        sql("insert into host_network (host_id, network_id) values (" + down.id + ", " + network + "), (" + target.id + ", " + network + ")");
        sql("insert into server_address (network_id, address, server_id) values (" + network + ", '198.51.100.10', " + v.id + ")");
        sql("insert into port_forward (server_id, host_id, protocol, host_port, server_port) values (" + v.id + ", " + down.id + ", 'tcp', 20022, 22)");
        sql("insert into backup (id, server_id, tenant_id, host_id, scheduled, status, template, disk_bytes, created_at, taken_at) values "
                + "('b-1', " + v.id + ", " + t.id + ", " + down.id + ", false, 'ready', 'busybox', 67108864, now(), now())");
        return new long[] {down.id, target.id, v.id};
    }

    @Transactional
    List<Long> strays(long server) {
        @SuppressWarnings("unchecked")
        List<Number> hosts = Host.getEntityManager().createNativeQuery("select host_id from stray_copy where server_id = " + server).getResultList();
        return hosts.stream().map(Number::longValue).toList();
    }

    private static void sql(String statement) {
        Host.getEntityManager().createNativeQuery(statement).executeUpdate();
    }

    @Transactional
    long count(String query) {
        return ((Number) Host.getEntityManager().createNativeQuery(query).getSingleResult()).longValue();
    }
}
