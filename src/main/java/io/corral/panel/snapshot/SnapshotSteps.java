package io.corral.panel.snapshot;

import io.corral.panel.agent.DiskSnapshot;
import io.corral.panel.plan.Plan;
import io.corral.panel.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** The worker's database steps for snapshots, each in the worker's own short transaction (or the one it fails an operation in). */
@ApplicationScoped
@Transactional
public class SnapshotSteps {
    /**
     * Keeps what the host measured of a snapshot it took. With the tenant's row locked, checks its plan's storage again
     * with this one's size: a snapshot that puts the tenant over it is marked for deletion, and the reason returned, for
     * the worker to delete it on the host and fail the operation with.
     */
    public Optional<String> taken(String id, DiskSnapshot taken) {
        Snapshot s = Snapshot.findById(id);
        Tenant tenant = Tenant.lock(s.tenant.id).orElseThrow();
        if (s.deletedAt != null) { // an earlier attempt removed it again, and the agent's answer to this one made it anew
            return Optional.of(s.error != null ? s.error : "snapshot " + id + " was removed while it was being taken");
        }
        s.status = Snapshot.Status.ready;
        s.template = taken.template();
        s.diskBytes = taken.diskBytes();
        s.storedBytes = taken.storedBytes();
        s.pauseMillis = taken.pauseMillis();
        s.wasRunning = taken.wasRunning();
        s.takenAt = java.time.OffsetDateTime.now();
        s.flush();
        Plan plan = tenant.plan;
        long stored = Snapshot.storedBytesOf(tenant.id);
        if (stored <= plan.maxSnapshotGib * SnapshotService.GIB) {
            return Optional.empty();
        }
        s.status = Snapshot.Status.deleting;
        s.error = "snapshotStorage: plan '" + plan.name + "' allows " + plan.maxSnapshotGib + " GiB of snapshots in all; with this one of "
                + SnapshotService.gib(taken.storedBytes()) + " GiB the tenant's would take " + SnapshotService.gib(stored)
                + " GiB, so it was deleted again";
        return Optional.of(s.error);
    }

    /** The host no longer has it: deleted (on request, or removed again for being over the plan). */
    public void deleted(String id) {
        Snapshot s = Snapshot.findById(id);
        if (s.deletedAt == null) {
            s.gone(s.error == null ? Snapshot.Status.deleted : Snapshot.Status.failed, s.error);
        }
    }

    /** Its operation failed: a snapshot not taken is gone; one whose delete failed stays to be deleted again; a restore changes nothing of it. */
    public void failed(String id, String error) {
        Snapshot s = Snapshot.findById(id);
        if (s.status == Snapshot.Status.pending) {
            s.gone(Snapshot.Status.failed, error);
        }
    }

    /** The server was destroyed, and its host removed its snapshots with it. */
    public void serverDestroyed(long serverId) {
        for (Snapshot s : Snapshot.ofServer(serverId)) {
            s.gone(Snapshot.Status.deleted, null);
        }
    }
}
