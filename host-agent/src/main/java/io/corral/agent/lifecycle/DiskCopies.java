package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostProbe;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.sys.SparseFiles;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * What snapshots, backups, restores and moves share: a bound on how many whole disks the host copies at once, the room a
 * copy must leave on the host's disk, and a server's disk replaced by a new image.
 */
public final class DiskCopies {
    /** Copies (snapshot, backup, restore, either end of a move) at once on the host: each reads or writes a whole disk. */
    static final int COPIES_AT_ONCE = 2;
    /** What a copy must leave free on the host's disk, beside what it writes. */
    private static final long HOST_RESERVE_BYTES = 256L << 20;
    private final ServerManager servers;
    private final StateDir state;
    private final Semaphore copies = new Semaphore(COPIES_AT_ONCE);

    public DiskCopies(ServerManager servers, StateDir state) {
        this.servers = servers;
        this.state = state;
    }

    <T> T copying(Supplier<T> copy) {
        if (!copies.tryAcquire()) {
            throw AgentException.tooMany("the host is making " + COPIES_AT_ONCE + " snapshots, backups, restores or moves,"
                    + " the most it makes at once; try again when one has finished");
        }
        try {
            return copy.get();
        } finally {
            copies.release();
        }
    }

    /** Refuses a copy of data bytes that would leave the host's disk with less than its reserve. */
    void checkRoom(long data, String what) {
        long free = HostProbe.diskFreeMiB(state.root()) << 20;
        if (data + HOST_RESERVE_BYTES > free) {
            throw AgentException.conflict("the " + what + " needs " + (data >> 20) + " MiB and the host has "
                    + (free >> 20) + " MiB free, " + (HOST_RESERVE_BYTES >> 20) + " MiB of which stay free");
        }
    }

    /**
     * Under the server's lock: the new image written to paths.restoring() (by write), fitted to the server's
     * quota, then put in place of the disk with the server stopped, and the server started again if it ran. A
     * failure before the swap leaves the server as it was. The root's credentials are the spec's, not the
     * image's: keys removed since the image was made do not come back with it, nor another server's.
     */
    ServerView replaceDisk(ServerSpec spec, String field, long imageBytes, Runnable write) {
        ServerPaths paths = servers.paths(spec.id());
        try {
            Files.deleteIfExists(paths.restoring());
            write.run();
            if (imageBytes != spec.limits().diskMiB() << 20) {
                try {
                    Disk.resize(paths.restoring(), spec.limits().diskMiB());
                } catch (RuntimeException e) {
                    throw AgentException.unusable(field, "its files do not fit server " + spec.id() + "'s disk quota of "
                            + spec.limits().diskMiB() + " MiB: " + e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(paths.restoring(), e);
            throw failed("restore server " + spec.id(), e);
        }
        Optional<InitProcess> init = servers.init(spec);
        init.ifPresent(i -> servers.halt(spec, i));
        Disk.unmount(paths);
        try {
            Files.move(paths.restoring(), paths.image(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("put " + paths.restoring() + " in place of " + paths.image() + ": " + e.getMessage(), e);
        } finally {
            Disk.mount(paths);
        }
        PendingCredentials.forRestoredRoot(paths, spec.credentials());
        return servers.view(spec, init.isPresent() ? Optional.of(servers.boot(spec)) : Optional.empty());
    }

    /** The bytes of data in an image: its extents, not its holes. */
    static long dataBytes(Path image) {
        int fd = SparseFiles.openForReading(image);
        try {
            return SparseFiles.forEachExtent(fd, SparseFiles.size(fd, image.toString()), image.toString(), (offset, length) -> { });
        } finally {
            Sys.close(fd);
        }
    }

    /** Deletes a copy left by a failure, its own failure added to cause (if any). */
    static void deleteQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    static AgentException failed(String what, Exception e) {
        return e instanceof AgentException ae ? ae : AgentException.failed(what + ": " + e.getMessage(), e);
    }
}
