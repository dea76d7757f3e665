package io.corral.panel.operation;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.DiskBackup;
import io.corral.panel.agent.DiskSnapshot;
import io.corral.panel.agent.ServerState;
import io.corral.panel.backup.BackupSteps;
import io.corral.panel.common.DomainException;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.snapshot.SnapshotSteps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The operations on copies of a server's disk: snapshots on its host and backups in its host's store. Each agent call is
 * idempotent on the copy's id (made again: the one made already; deleted again: nothing), so a retry after a lost answer
 * does the work once; the database step after it records what the host answered, with, after a backup is taken or
 * deleted, what the server's backups now take in the store (what is billed: a chunk the deleted backup wrote and a later
 * one uses stays, and stays billed).
 */
@ApplicationScoped
class Copies {
    @Inject
    AgentClient agents;
    @Inject
    SnapshotSteps snapshots;
    @Inject
    BackupSteps backups;

    /** The id of the snapshot or backup an operation is about, null for another kind. */
    static String idOf(Operation o) {
        return switch (o.kind) {
            case snapshot, snapshot_restore, snapshot_delete -> o.payloadText("snapshot");
            case backup, backup_restore, backup_delete -> o.payloadText("backup");
            default -> null;
        };
    }

    VirtualServer.Observed run(Job job) {
        switch (job.kind()) {
            case snapshot -> {
                DiskSnapshot taken = agents.snapshot(job.agent(), job.serverId(), job.copy());
                Optional<String> over = snapshots.taken(job.copy(), taken);
                if (over.isPresent()) {
                    agents.deleteSnapshot(job.agent(), job.serverId(), job.copy());
                    snapshots.deleted(job.copy());
                    throw new DomainException(DomainException.Kind.QUOTA, "snapshotStorage", r -> r.snapshot_not_kept(over.get()));
                }
            }
            case snapshot_restore -> {
                return state(agents.restoreSnapshot(job.agent(), job.serverId(), job.copy()));
            }
            case snapshot_delete -> {
                agents.deleteSnapshot(job.agent(), job.serverId(), job.copy());
                snapshots.deleted(job.copy());
            }
            case backup -> {
                DiskBackup taken = agents.backup(job.agent(), job.serverId(), job.copy());
                backups.taken(job.copy(), taken, agents.backupStorage(job.agent(), job.serverId()));
            }
            case backup_restore -> {
                return state(agents.restoreBackup(job.agent(), job.serverId(), job.copySource(), job.copy()));
            }
            case backup_delete -> {
                agents.deleteBackup(job.agent(), job.serverId(), job.copy());
                backups.deleted(job.copy(), agents.backupStorage(job.agent(), job.serverId()));
            }
            default -> throw new IllegalArgumentException(job.kind() + " is not an operation on a copy");
        }
        return agents.server(job.agent(), job.serverId()).map(Copies::state).orElse(VirtualServer.Observed.unknown);
    }

    /** The operation failed: what it was to make is not there; a failed restore leaves the server's state to be asked. */
    void failed(Operation o, String error) {
        switch (o.kind) {
            case snapshot, snapshot_delete -> snapshots.failed(idOf(o), error);
            case backup, backup_delete -> backups.failed(idOf(o), error);
            default -> {
            }
        }
    }

    private static VirtualServer.Observed state(ServerState s) {
        return VirtualServer.Observed.reported(s.state());
    }
}
