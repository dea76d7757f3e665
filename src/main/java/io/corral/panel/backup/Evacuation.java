package io.corral.panel.backup;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.host.Host;
import io.corral.panel.host.StrayCopies;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.Placement;
import io.corral.panel.server.Relocation;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.snapshot.SnapshotSteps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Evacuating a host that is down, at an admin's explicit word: each of its servers made anew on a host that shares its
 * backup store, from its latest backup there (what it wrote since is lost), keeping its id, hostname, limits, addresses
 * and forwards. Each server is evacuated in a transaction of its own, so one that cannot be (no backup, no room, an
 * operation still pending) stays as it was and is named with the reason, and the others go. The old copies stay on the
 * down host, recorded as strays: its heartbeat removes them when it answers again, each once its restore has succeeded.
 * A create or restore that fails puts the server back on the down host as it was (see OperationSteps).
 */
@ApplicationScoped
public class Evacuation {
    @Inject
    Relocation relocation;
    @Inject
    Operations operations;
    @Inject
    StrayCopies strays;
    @Inject
    SnapshotSteps snapshots;
    @Inject
    Audit audit;
    @Inject
    JsonText text;
    @Inject
    Evacuation self;

    public record Evacuated(long serverId, String hostname, long toHostId, String toHost, String backupId, OffsetDateTime backupTakenAt) {
    }

    public record Skipped(long serverId, String hostname, String reason) {
    }

    public record Result(String host, List<Evacuated> evacuated, List<Skipped> skipped) {
    }

    public Result evacuate(long hostId) {
        Host down = self.checked(hostId);
        List<Evacuated> evacuated = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (VirtualServer v : self.serversOn(hostId)) {
            try {
                evacuated.add(self.one(hostId, v.id));
            } catch (DomainException e) {
                skipped.add(new Skipped(v.id, v.hostname, e.getMessage()));
            } catch (RuntimeException e) { // its transaction rolled back: it stays as it was, and the others go on
                skipped.add(new Skipped(v.id, v.hostname, "it could not be evacuated now: " + e.getMessage()));
            }
        }
        return new Result(down.name, evacuated, skipped);
    }

    @Transactional
    Host checked(long hostId) {
        Host h = Host.<Host>findByIdOptional(hostId).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(hostId)));
        if (h.status != Host.Status.down) {
            throw DomainException.conflict(r -> r.backup_evacuate_not_down(h.name, h.status.name()));
        }
        if (h.backupStore == null) {
            throw DomainException.conflict(r -> r.backup_evacuate_own_store(h.name));
        }
        return h;
    }

    @Transactional
    List<VirtualServer> serversOn(long hostId) {
        return VirtualServer.list("host.id = ?1 and desiredState <> ?2 order by id", hostId, VirtualServer.Desired.destroyed);
    }

    /** One server made anew elsewhere from its latest backup: placed, its create and restore queued, its old copy a stray. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Evacuated one(long hostId, long serverId) {
        Placement.takeTurn(); // before the host that is down is locked
        Host down = Host.findById(hostId, LockModeType.PESSIMISTIC_WRITE);
        VirtualServer v = VirtualServer.findById(serverId, LockModeType.PESSIMISTIC_WRITE);
        if (down.status != Host.Status.down || !v.host.id.equals(down.id) || v.desiredState == VirtualServer.Desired.destroyed) {
            throw DomainException.conflict(r -> r.backup_evacuate_gone(down.name));
        }
        if (v.movingTo != null) {
            throw DomainException.conflict(r -> r.backup_evacuate_moving(v.movingTo.name));
        }
        Optional<Operation> pending = Operation.find("server = ?1 and status in (?2, ?3) order by id", v, Operation.Status.queued,
                Operation.Status.running).firstResultOptional();
        if (pending.isPresent()) {
            Operation o = pending.get();
            throw DomainException.conflict(r -> r.backup_evacuate_pending(o.id, o.kind.name(), o.status.name()));
        }
        Backup latest = Backup.<Backup>find("server.id = ?1 and status = ?2 and host.backupStore = ?3 order by takenAt desc", v.id,
                Backup.Status.ready, down.backupStore).firstResultOptional()
                .orElseThrow(() -> DomainException.conflict(r -> r.backup_evacuate_no_backup(down.backupStore)));
        Set<Long> sharing = Host.<Host>list("backupStore = ?1 and id <> ?2", down.backupStore, down.id).stream().map(h -> h.id)
                .collect(Collectors.toSet());
        Host to = relocation.relocate(v.id, sharing);
        operations.enqueue(v, Operation.Kind.create, null, text.of(Map.of("evacuatedFrom", down.id)));
        Operation restore = operations.enqueue(v, Operation.Kind.backup_restore, null,
                text.of(Map.of("backup", latest.id, "sourceServer", v.agentId(), "evacuatedFrom", down.id)));
        // removed from the down host only once the restore has succeeded: until then that copy may be all there is
        strays.record(v.id, down.id, "evacuated to host " + to.name + " from backup " + latest.id, restore.id);
        snapshots.serverDestroyed(v.id); // they lived beside its disk on the host that is down
        audit.record("server.evacuate", "server/" + v.id, "from host " + down.name + " (down) to host " + to.name + ", from backup "
                + latest.id + " taken " + latest.takenAt);
        return new Evacuated(v.id, v.hostname, to.id, to.name, latest.id, latest.takenAt);
    }
}
