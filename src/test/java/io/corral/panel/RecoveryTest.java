package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A panel that died mid-operation leaves a claimed row whose lease runs out. Another worker (here,
 * this panel's) claims it again and finishes it; the agent's server exists once, whether or not
 * the dead panel had already called the agent.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class RecoveryTest extends WithRealAgent {
    @Test
    void anAbandonedCreateIsFinishedOnceEvenIfTheAgentHadAlreadyDoneIt() throws Exception {
        long first = abandonedCreate("recover-1");
        long second = abandonedCreate("recover-2");
        // the dead panel had got as far as creating the second one on its host
        String body = "{\"id\":\"" + serverOf(second) + "\",\"hostname\":\"recover-2\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":64,\"diskMiB\":64}}";
        assertEquals(201, agent.postJson("/v1/servers", body).statusCode());

        for (long op : new long[] {first, second}) {
            Await.until("operation " + op + " finished", () -> status(op) != Operation.Status.running);
            assertEquals(Operation.Status.succeeded, status(op), error(op));
            assertEquals(2, attempts(op), "claimed a second time after the lease ran out");
            long server = serverOf(op);
            assertEquals("running", agent.state(server));
        }
        assertEquals(2, new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.get("/v1/servers").body()).size(),
                "each server exists once on the host");
    }

    @Transactional
    long abandonedCreate(String hostname) {
        Host host = Host.findByName("local").orElseGet(() -> {
            Host h = fixtures.host("local", 2, 4096, 100_000);
            h.agentUrl = agent.url();
            h.secret = RealAgent.SECRET;
            h.tlsFingerprint = agent.fingerprint();
            return h;
        });
        Tenant tenant = Tenant.findBySlug("acme").orElseGet(() -> fixtures.tenant("acme", fixtures.plan(5, 4096, 4, 100_000)));
        VirtualServer v = fixtures.server(tenant, host, hostname, VirtualServer.Observed.creating);
        Operation o = new Operation();
        o.server = v;
        o.kind = Operation.Kind.create;
        o.status = Operation.Status.running;
        o.requestedBy = "cleo";
        o.attempts = 1;
        o.createdAt = OffsetDateTime.now();
        o.startedAt = o.createdAt;
        o.leaseUntil = OffsetDateTime.now().plusSeconds(2);
        o.persist();
        return o.id;
    }

    @Transactional
    Operation.Status status(long op) {
        return Operation.<Operation>findById(op).status;
    }

    @Transactional
    String error(long op) {
        return String.valueOf(Operation.<Operation>findById(op).error);
    }

    @Transactional
    int attempts(long op) {
        return Operation.<Operation>findById(op).attempts;
    }

    @Transactional
    long serverOf(long op) {
        return Operation.<Operation>findById(op).server.id;
    }
}
