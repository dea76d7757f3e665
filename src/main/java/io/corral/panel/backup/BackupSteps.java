package io.corral.panel.backup;

import io.corral.panel.agent.DiskBackup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/** The worker's database steps for backups, each in the worker's own short transaction (or the one it fails an operation in). */
@ApplicationScoped
@Transactional
public class BackupSteps {
    /** Keeps what the host measured of a backup it took, and what the server's backups take in the store since. */
    public void taken(String id, DiskBackup taken, long serverStoredBytes) {
        Backup b = Backup.findById(id);
        b.status = Backup.Status.ready;
        b.template = taken.template();
        b.diskBytes = taken.diskBytes();
        b.chunks = taken.chunks();
        b.newChunks = taken.newChunks();
        b.storedBytes = taken.storedBytes();
        b.totalBytes = taken.totalBytes();
        b.pauseMillis = taken.pauseMillis();
        b.sha256 = taken.sha256();
        b.takenAt = OffsetDateTime.now();
        storage(b, serverStoredBytes);
    }

    /** Its store no longer has it; the server's backups take serverStoredBytes there since. */
    public void deleted(String id, long serverStoredBytes) {
        Backup b = Backup.findById(id);
        if (b.deletedAt == null) {
            b.gone(Backup.Status.deleted, null);
        }
        storage(b, serverStoredBytes);
    }

    /** From now on (until the next), the server's backups take storedBytes in the store: what the meter bills. */
    private static void storage(Backup b, long storedBytes) {
        Backup.getEntityManager().createNativeQuery("""
                insert into backup_storage (server_id, tenant_id, since, stored_bytes) values (?1, ?2, clock_timestamp(), ?3)""")
                .setParameter(1, b.server.id).setParameter(2, b.tenant.id).setParameter(3, storedBytes).executeUpdate();
    }

    /** Its operation failed: a backup not taken is gone; one whose delete failed stays to be deleted again; a restore changes nothing of it. */
    public void failed(String id, String error) {
        Backup b = Backup.findById(id);
        if (b.status == Backup.Status.pending) {
            b.gone(Backup.Status.failed, error);
        }
    }
}
