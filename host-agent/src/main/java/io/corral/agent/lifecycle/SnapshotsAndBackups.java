package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.backup.Backup;
import io.corral.agent.backup.BackupStore;
import io.corral.agent.backup.DiskPause;
import io.corral.agent.backup.Ids;
import io.corral.agent.backup.OwnerShift;
import io.corral.agent.backup.Snapshot;
import io.corral.agent.backup.Snapshots;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.sys.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots and backups of servers' disks, and restoring them: each under the server's lock, as its other
 * actions are, so one at a time per server. The copies are of the disk image (the server's own layer over its
 * template) taken while it is still ({@link DiskPause}); a restore builds the new image beside the old one and
 * swaps them only once it is whole, so a failed restore changes nothing.
 */
public final class SnapshotsAndBackups {
    private final ServerManager servers;
    private final DiskCopies copies;
    private final BackupStore store;

    /** An answer to a create that is idempotent on its id: created false when it existed already. */
    public record Made<T>(T value, boolean created) {
    }

    public SnapshotsAndBackups(ServerManager servers, DiskCopies copies, BackupStore store) {
        this.servers = servers;
        this.copies = copies;
        this.store = store;
    }

    public BackupStore store() {
        return store;
    }

    public Made<Snapshot> snapshot(String id, String snapshotId) {
        Ids.check("id", snapshotId);
        try (ServerLock.Held lock = servers.lock(id, Action.snapshot)) {
            ServerSpec spec = servers.existing(id);
            Snapshots snapshots = snapshots(id);
            Optional<Snapshot> existing = snapshots.find(snapshotId);
            if (existing.isPresent()) {
                return new Made<>(existing.get(), false);
            }
            if (snapshots.list().size() >= Snapshots.MAX_PER_SERVER) {
                throw AgentException.conflict("server " + id + " has " + Snapshots.MAX_PER_SERVER
                        + " snapshots, the most a server may have on this host; delete one first");
            }
            return new Made<>(copies.copying(() -> {
                snapshots.clearWork();
                ServerPaths paths = servers.paths(id);
                copies.checkRoom(DiskCopies.dataBytes(paths.image()), "snapshot of server " + id);
                boolean running = servers.init(spec).isPresent();
                Path work = snapshots.work(snapshotId + ".img");
                long[] data = new long[1];
                long pause;
                try {
                    pause = DiskPause.during(servers.cgroups(), spec.group(), running, paths.disk(),
                            () -> data[0] = SparseFiles.copy(paths.image(), work));
                    Files.move(work, snapshots.image(snapshotId), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    DiskCopies.deleteQuietly(work, e);
                    throw DiskCopies.failed("snapshot server " + id, e);
                }
                Snapshot snapshot = new Snapshot(snapshotId, id, spec.template(), Instant.now(), size(snapshots.image(snapshotId)),
                        data[0], pause, running);
                snapshots.save(snapshot);
                return snapshot;
            }), true);
        }
    }

    /** The server's snapshots, oldest first. */
    public List<Snapshot> listSnapshots(String id) {
        servers.existing(id);
        return snapshots(id).list();
    }

    /** The server back to the snapshot: stopped if it runs, the snapshot's copy in place of its disk, started again. */
    public ServerView restoreSnapshot(String id, String snapshotId) {
        Ids.check("snapshotId", snapshotId);
        try (ServerLock.Held lock = servers.lock(id, Action.restore)) {
            ServerSpec spec = servers.existing(id);
            Snapshot snapshot = snapshots(id).get(id, snapshotId);
            return copies.copying(() -> {
                ServerPaths paths = servers.paths(id);
                Path image = snapshots(id).image(snapshotId);
                copies.checkRoom(DiskCopies.dataBytes(image), "restore of server " + id);
                return copies.replaceDisk(spec, "snapshotId", snapshot.diskBytes(), () -> SparseFiles.copy(image, paths.restoring()));
            });
        }
    }

    public void deleteSnapshot(String id, String snapshotId) {
        Ids.check("snapshotId", snapshotId);
        try (ServerLock.Held lock = servers.lock(id, Action.snapshot)) {
            servers.existing(id);
            snapshots(id).delete(snapshotId);
        }
    }

    /**
     * A backup of the server to the store. A running server is paused only for a local copy of its disk
     * (as a snapshot), which is then chunked while it runs on and deleted; a stopped one's disk is chunked as it is.
     */
    public Made<Backup> backup(String id, String backupId) {
        Ids.check("id", backupId);
        try (ServerLock.Held lock = servers.lock(id, Action.backup)) {
            ServerSpec spec = servers.existing(id);
            Optional<Backup> existing = store.find(id, backupId);
            if (existing.isPresent()) {
                return new Made<>(existing.get(), false);
            }
            return new Made<>(copies.copying(() -> {
                Snapshots snapshots = snapshots(id);
                snapshots.clearWork();
                ServerPaths paths = servers.paths(id);
                Long usersFirst = spec.users() == null ? null : spec.users().first();
                if (servers.init(spec).isEmpty()) {
                    Backup[] made = new Backup[1];
                    DiskPause.during(servers.cgroups(), spec.group(), false, paths.disk(),
                            () -> made[0] = store.write(id, backupId, spec.template(), usersFirst, paths.image(), 0));
                    return made[0];
                }
                copies.checkRoom(DiskCopies.dataBytes(paths.image()), "backup of server " + id);
                Path copy = snapshots.work(backupId + ".backup");
                try {
                    long pause = DiskPause.during(servers.cgroups(), spec.group(), true, paths.disk(),
                            () -> SparseFiles.copy(paths.image(), copy));
                    return store.write(id, backupId, spec.template(), usersFirst, copy, pause);
                } catch (RuntimeException e) {
                    throw DiskCopies.failed("back up server " + id, e);
                } finally {
                    DiskCopies.deleteQuietly(copy, null);
                }
            }), true);
        }
    }

    /**
     * The server's disk replaced by a backup of it or of another server (sourceServerId), checked chunk by chunk
     * as it is written beside the old one, its files' owners moved to this server's user range where the
     * source's was another; stopped and started again as for a snapshot.
     */
    public ServerView restoreBackup(String id, String sourceServerId, String backupId) {
        Validation.id("serverId", sourceServerId);
        Ids.check("backupId", backupId);
        try (ServerLock.Held lock = servers.lock(id, Action.restore)) {
            ServerSpec spec = servers.existing(id);
            String template = store.template(sourceServerId, backupId);
            if (!template.equals(spec.template())) {
                throw AgentException.unusable("backupId", "backup " + backupId + " is of a server of template " + template
                        + "; server " + id + " runs template " + spec.template());
            }
            long from = Objects.requireNonNullElse(store.usersFirst(sourceServerId, backupId), 0L);
            long to = spec.users() == null ? 0 : spec.users().first();
            long data = store.dataBytes(sourceServerId, backupId);
            long quota = spec.limits().diskMiB() << 20;
            if (data > quota) {
                throw AgentException.unusable("backupId", "backup " + backupId + " holds " + (data >> 20)
                        + " MiB of data, more than server " + id + "'s disk quota of " + spec.limits().diskMiB() + " MiB");
            }
            return copies.copying(() -> {
                copies.checkRoom(data, "restore of server " + id);
                ServerPaths paths = servers.paths(id);
                snapshots(id).clearWork();
                return copies.replaceDisk(spec, "backupId", store.diskBytes(sourceServerId, backupId), () -> {
                    store.restore(sourceServerId, backupId, paths.restoring());
                    OwnerShift.shift(paths.restoring(), paths.shifting(), from, to);
                });
            });
        }
    }

    public List<Backup> backups(String serverId) {
        Validation.id("serverId", serverId);
        return store.list(serverId);
    }

    /** What the server's backups take in the store, each chunk counted once; the server may be gone. */
    public BackupStorage backupStorage(String serverId) {
        Validation.id("serverId", serverId);
        return new BackupStorage(serverId, store.storedBytes(serverId));
    }

    /** What a server's backups take in the store: storedBytes, the compressed bytes of its chunks. */
    public record BackupStorage(String serverId, long storedBytes) {
    }

    /** Removes the backup from the store, with the chunks no other backup references; the server may be gone. */
    public void deleteBackup(String serverId, String backupId) {
        Validation.id("serverId", serverId);
        Ids.check("backupId", backupId);
        store.delete(serverId, backupId);
    }

    private Snapshots snapshots(String id) {
        return new Snapshots(servers.paths(id).snapshots());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
