package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.host.Host;
import io.corral.panel.limits.Allocation;
import io.corral.panel.server.AllocationFold;
import io.corral.panel.server.Allocations;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every host's allocation as the database keeps it (migration V34) against the sum of its servers' rows, after each
 * kind of change a server's row goes through: ordered, limits changed, moved (room held on the way, then arrived),
 * destroyed, its row deleted; before and after the changes are folded.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HostAllocationKeptTest {
    @Inject
    Fixtures fixtures;
    @Inject
    Allocations allocations;
    @Inject
    AllocationFold fold;
    @Inject
    EntityManager em;
    @Inject
    DataSource db;

    @Test
    void theKeptSumsFollowEveryChangeOfAServer() {
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            fixtures.wipe();
            Host a = fixtures.host("kept-a", 8, 16384, 100 * 1024);
            Host b = fixtures.host("kept-b", 8, 16384, 100 * 1024);
            Tenant t = fixtures.tenant("kept", fixtures.plan(10, 16384, 8, 100 * 1024));
            long[] made = new long[5];
            for (int i = 0; i < 4; i++) {
                made[i] = fixtures.server(t, a, "kept-" + i, VirtualServer.Observed.running).id;
            }
            made[4] = fixtures.server(t, b, "kept-4", VirtualServer.Observed.running).id;
            return made;
        });
        assertKeptAsSummed("ordered");

        change(ids[0], v -> {
            v.memoryMib = 512;
            v.cpus = new BigDecimal("2.50");
            v.diskMib = 4096;
        });
        assertKeptAsSummed("limits changed");

        long noted = lastChangeNoted();
        change(ids[1], v -> v.observedState = VirtualServer.Observed.stopped);
        assertEquals(noted, lastChangeNoted(), "a change of state alone notes nothing");

        change(ids[1], v -> v.movingTo = Host.findByName("kept-b").orElseThrow());
        assertKeptAsSummed("room held on the host a move goes to");
        change(ids[1], v -> {
            v.host = v.movingTo;
            v.movingTo = null;
        });
        assertKeptAsSummed("moved");

        change(ids[2], v -> v.desiredState = VirtualServer.Desired.destroyed);
        assertKeptAsSummed("destroyed");
        Await.folded(fold, db);
        assertKeptAsSummed("folded");

        QuarkusTransaction.requiringNew().run(() -> {
            VirtualServer.delete("id in ?1", List.of(ids[2], ids[3]));
        });
        change(ids[4], v -> v.pids = 128);
        assertKeptAsSummed("rows deleted and changes after a fold");
    }

    private void change(long id, java.util.function.Consumer<VirtualServer> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(VirtualServer.findById(id)));
    }

    /** The number of the last change noted: folds delete changes, not their numbers. */
    private long lastChangeNoted() {
        return count("select last_value from host_allocation_change_id_seq");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }

    /** What the servers' rows sum to on each host, each server on its host and on the host it is being moved to. */
    private void assertKeptAsSummed(String after) {
        QuarkusTransaction.requiringNew().run(() -> {
            Map<Long, Allocation> summed = new HashMap<>();
            for (Host h : Host.<Host>listAll()) {
                Allocation a = allocations.onHost(h.id);
                if (a.servers() > 0) {
                    summed.put(h.id, a);
                }
            }
            Map<Long, Allocation> kept = new HashMap<>(allocations.byHost());
            kept.values().removeIf(a -> a.servers() == 0);
            assertEquals(normalised(summed), normalised(kept), "after: " + after);
        });
    }

    private static Map<Long, Allocation> normalised(Map<Long, Allocation> byHost) {
        Map<Long, Allocation> out = new HashMap<>();
        byHost.forEach((id, a) -> out.put(id, new Allocation(a.servers(), a.memoryMiB(), a.swapMiB(), a.cpus().setScale(2),
                a.cpuWeight(), a.pids(), a.diskMiB())));
        return out;
    }
}
