package io.corral.panel.snapshot;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Customers' snapshots of their servers: listed for whoever may see the server (another tenant's is not found), taken,
 * restored and deleted as operations queued in the transaction that checks the plan, so a restart of the panel loses
 * nothing it acknowledged.
 */
@ApplicationScoped
@Transactional
public class SnapshotService {
    static final long GIB = 1L << 30;
    /** The panel's ids (UUIDs) as the agent takes them. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9-]{1,40}");
    @Inject
    ServerService servers;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    JsonText text;

    /** The server's snapshots, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SnapshotView> list(long serverId) {
        return Snapshot.ofServer(servers.get(serverId).id).stream().map(SnapshotView::of).toList();
    }

    /**
     * Queues a snapshot of the server, if its plan has room: fewer than its snapshots per server, and the tenant's snapshots
     * below its storage (the size of this one is known once taken, and checked again then). The tenant's row is locked
     * first, as every quota check locks it, so two requests cannot both take the last one.
     */
    public Operation take(long serverId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.snapshot);
        if (previous.isPresent()) {
            return previous.get();
        }
        Tenant tenant = Tenant.lock(servers.get(serverId).tenant.id).orElseThrow();
        VirtualServer v = servers.managed(serverId);
        Plan plan = tenant.plan;
        long held = Snapshot.heldBy(v.id);
        if (held >= plan.serverMaxSnapshots) {
            throw new DomainException(DomainException.Kind.QUOTA, "snapshots", r -> r.snapshot_quota(plan.name, plan.serverMaxSnapshots, v.id,
                    held));
        }
        long stored = Snapshot.storedBytesOf(tenant.id);
        if (stored >= plan.maxSnapshotGib * GIB) {
            throw new DomainException(DomainException.Kind.QUOTA, "snapshotStorage", r -> r.snapshot_storage_quota(plan.name, plan.maxSnapshotGib,
                    gib(stored)));
        }
        Snapshot s = new Snapshot();
        s.id = UUID.randomUUID().toString();
        s.server = v;
        s.tenant = tenant;
        s.status = Snapshot.Status.pending;
        s.template = v.template;
        s.createdAt = OffsetDateTime.now();
        s.persist();
        Operation op = operations.enqueue(v, Operation.Kind.snapshot, idempotencyKey, payload(s.id));
        audit.record("server.snapshot", "server/" + v.id, "snapshot " + s.id);
        return op;
    }

    /** The snapshot a take queued. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public SnapshotView taking(Operation take) {
        return SnapshotView.of(Snapshot.<Snapshot>findById(take.payloadText("snapshot")));
    }

    /** Queues putting the server back to the snapshot: stopped for it, started again if it ran; the snapshot stays. */
    public Operation restore(long serverId, String snapshotId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.snapshot_restore);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        Snapshot s = found(v, snapshotId);
        if (s.status != Snapshot.Status.ready) {
            throw DomainException.conflict(r -> r.snapshot_not_ready(s.id, s.status.name()));
        }
        Operation op = operations.enqueue(v, Operation.Kind.snapshot_restore, idempotencyKey, payload(s.id));
        audit.record("server.snapshot_restore", "server/" + v.id, "snapshot " + s.id);
        return op;
    }

    /** Queues the snapshot's delete on its host (once more for one whose delete failed). */
    public Operation delete(long serverId, String snapshotId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.snapshot_delete);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        Snapshot s = found(v, snapshotId);
        if (s.status == Snapshot.Status.pending) {
            throw DomainException.conflict(r -> r.snapshot_pending(s.id));
        }
        s.status = Snapshot.Status.deleting;
        Operation op = operations.enqueue(v, Operation.Kind.snapshot_delete, idempotencyKey, payload(s.id));
        audit.record("server.snapshot_delete", "server/" + v.id, "snapshot " + s.id);
        return op;
    }

    private static Snapshot found(VirtualServer v, String snapshotId) {
        // an id the panel never gives out is not looked for: the database would refuse some (a NUL) rather than find none
        return Optional.of(snapshotId).filter(id -> ID.matcher(id).matches()).flatMap(id -> Snapshot.ofServer(v.id, id))
                .orElseThrow(() -> DomainException.notFound(r -> r.snapshot_not_found(snapshotId, v.id)));
    }

    private String payload(String snapshotId) {
        return text.of(Map.of("snapshot", snapshotId));
    }

    static String gib(long bytes) {
        return java.math.BigDecimal.valueOf(bytes).divide(java.math.BigDecimal.valueOf(GIB), 2, java.math.RoundingMode.UP).stripTrailingZeros()
                .toPlainString();
    }
}
