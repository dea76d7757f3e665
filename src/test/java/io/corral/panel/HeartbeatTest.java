package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.audit.AuditEvent;
import io.corral.panel.host.Heartbeat;
import io.corral.panel.host.Host;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A host whose agent goes silent is marked down and its servers unknown; when it answers again, both
 * come back; a server stopped behind the panel's back is reported as drift.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HeartbeatTest extends WithRealAgent {
    @Inject
    Heartbeat heartbeat;

    @Test
    void aSilentHostGoesDownAndComesBack() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("hb", 2), "cleo");
        int hostId = admin.host("beating", agent);
        int id = Api.as("cleo").body("{\"hostname\":\"hb1\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        EndToEndTest.awaitObserved(id, "running");

        agent.kill();
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.up, host(hostId).status, "one missed beat is not yet down");
        lastHeardLongAgo(hostId);
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.down, host(hostId).status);
        Api.as("cleo").get("/api/v1/servers/" + id).then().statusCode(200)
                .body("observedState", org.hamcrest.Matchers.equalTo("unknown"));

        agent.startAgain();
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.up, host(hostId).status);
        Api.as("cleo").get("/api/v1/servers/" + id).then()
                .body("observedState", org.hamcrest.Matchers.equalTo("running"));
        assertEquals(1, AuditEvent.count("action", "host.down"));
        assertEquals(1, AuditEvent.count("action", "host.up"));

        // stopped behind the panel's back: the reconciliation reports the drift
        assertEquals(200, agent.post("/v1/servers/" + id + "/stop").statusCode());
        heartbeat.beat(host(hostId));
        Api.as("cleo").get("/api/v1/servers/" + id).then()
                .body("observedState", org.hamcrest.Matchers.equalTo("stopped")).body("desiredState", org.hamcrest.Matchers.equalTo("running"));
        assertEquals(1, AuditEvent.count("action = ?1 and target = ?2", "server.drift", "server/" + id));
    }

    @Transactional
    Host host(long id) {
        return Host.findById(id);
    }

    @Transactional
    void lastHeardLongAgo(long id) {
        Host.<Host>findById(id).lastHeartbeat = OffsetDateTime.now().minusHours(1);
    }
}
