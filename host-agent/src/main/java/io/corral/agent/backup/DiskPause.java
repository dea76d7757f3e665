package io.corral.agent.backup;

import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.sys.FileSystemFreeze;
import io.corral.agent.sys.Mounts;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One instant of a server's disk: its processes frozen where they stand (when it runs), then its file system
 * frozen, which writes out what they had written and its journal, so the image beneath is clean and whole
 * while a copy is made; then both thawed, also when the copy fails. Processes first: one blocked on a frozen
 * file system could not be frozen by the cgroup v1 freezer. A freeze outlives a crashed agent: {@link #release}
 * ends it at adoption.
 */
public final class DiskPause {
    /** How long the server's processes have to reach the freezer before the snapshot is given up. */
    static final Duration FREEZE_PATIENCE = Duration.ofSeconds(5);

    private DiskPause() {
    }

    /** Runs copy with the disk still; returns how long the server's processes were frozen, in ms (0 when stopped). */
    public static long during(Cgroups cgroups, String group, boolean running, Path diskMount, Runnable copy) {
        long start = System.nanoTime();
        boolean frozen = running && cgroups.freeze(group, FREEZE_PATIENCE);
        try {
            boolean mounted = Mounts.isMountRoot(diskMount);
            if (mounted) {
                FileSystemFreeze.freeze(diskMount);
            }
            try {
                copy.run();
            } finally {
                if (mounted) {
                    FileSystemFreeze.thaw(diskMount);
                }
            }
        } finally {
            if (frozen) {
                cgroups.thaw(group);
            }
        }
        return running ? (System.nanoTime() - start) / 1_000_000 : 0;
    }

    /** Thaws what an agent that died during a copy left frozen: the file system, then the processes. */
    public static void release(Cgroups cgroups, String group, Path diskMount) {
        if (Mounts.isMountRoot(diskMount)) {
            FileSystemFreeze.thaw(diskMount);
        }
        cgroups.thaw(group);
    }
}
