package io.corral.agent.backup;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.lifecycle.SnapshotsAndBackups;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileSystemFreeze;
import io.corral.agent.sys.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Snapshots of real busybox servers: taken running and stopped, restored, deleted, capped; never left frozen. */
class SnapshotTest {
    private static SnapshotsAndBackups copies() {
        return TestHost.agent().snapshotsAndBackups();
    }

    @Test
    void aRunningServersSnapshotBringsItsFilesBack() {
        String id = "snap-run";
        try {
            int firstInit = TestHost.running(id, TestHost.limits(null, null, null, 128L)).initPid();
            sh(id, "echo one > /root/note");
            SnapshotsAndBackups.Made<Snapshot> made = copies().snapshot(id, "s1");
            assertTrue(made.created());
            Snapshot s = made.value();
            assertTrue(s.wasRunning());
            assertEquals(128L << 20, s.diskBytes());
            assertTrue(s.storedBytes() > 0 && s.storedBytes() < s.diskBytes(), "sparse: " + s.storedBytes());
            assertTrue(s.pauseMillis() >= 0);
            assertFalse(Frozen.group(servers().cgroups(), "vs-" + id), "thawed after the snapshot");
            assertEquals(firstInit, servers().get(id).initPid(), "the server ran on");

            sh(id, "echo two > /root/note");
            assertFalse(copies().snapshot(id, "s1").created(), "a retry finds it made");
            ServerView restored = copies().restoreSnapshot(id, "s1");
            assertEquals(ServerState.running, restored.state());
            assertEquals("one\n", sh(id, "cat /root/note"));
            assertEquals(1, copies().listSnapshots(id).size(), "the snapshot stays");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aStoppedServersSnapshotIsTakenWithoutPauseAndRestoredStopped() {
        String id = "snap-stop";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "echo before > /root/note");
            servers().stop(id);
            Snapshot s = copies().snapshot(id, "s1").value();
            assertFalse(s.wasRunning());
            assertEquals(0, s.pauseMillis());
            servers().start(id);
            sh(id, "echo after > /root/note");
            servers().stop(id);
            assertEquals(ServerState.stopped, copies().restoreSnapshot(id, "s1").state(), "stopped it was, stopped it stays");
            servers().start(id);
            assertEquals("before\n", sh(id, "cat /root/note"));
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aCopyThatFailsLeavesTheServerThawedAndNoSnapshot() throws Exception {
        String id = "snap-full";
        Path snapshots = TestHost.agent().state().server(id).resolve("snapshots");
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "dd if=/dev/urandom of=/root/noise bs=1024 count=4096 2>/dev/null");
            Files.createDirectories(snapshots);
            // a target with room for 1 MiB: the copy runs out of space half-way
            Sys.mount("tmpfs", snapshots.toString(), "tmpfs", 0, "size=1m,mode=0700");
            AgentException e = assertThrows(AgentException.class, () -> copies().snapshot(id, "s1"));
            assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
            assertFalse(Frozen.group(servers().cgroups(), "vs-" + id), "thawed after the failed copy");
            assertEquals("written\n", sh(id, "echo written > /root/after && cat /root/after"), "its disk takes writes");
            assertTrue(copies().listSnapshots(id).isEmpty());
            try (var left = Files.list(snapshots)) {
                assertEquals(0, left.count(), "no half copy left");
            }
        } finally {
            Sys.umount(snapshots.toString(), 0);
            destroyQuietly(id);
        }
    }

    @Test
    void aServerAPauseCutShortLeftFrozenStillStopsAndIsDestroyed() {
        String id = "snap-left-frozen";
        Path disk = TestHost.agent().state().server(id).resolve("disk");
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            leaveFrozen(id, disk);
            assertEquals(ServerState.stopped, servers().stop(id).state());
            assertFalse(Frozen.group(servers().cgroups(), "vs-" + id), "the stop thawed its processes");
            assertFalse(FileSystemFreeze.thaw(disk), "and its file system");
            servers().start(id);
            assertEquals("written\n", sh(id, "echo written > /root/after && cat /root/after"));

            leaveFrozen(id, disk);
            servers().destroy(id);
            assertFalse(Files.exists(disk.getParent()), "destroyed");
        } finally {
            destroyQuietly(id);
        }
    }

    /** As a command line killed mid-copy leaves a server: processes and file system frozen, nobody to thaw them. */
    private static void leaveFrozen(String id, Path disk) {
        assertTrue(servers().cgroups().freeze("vs-" + id, Duration.ofSeconds(5)), "frozen");
        FileSystemFreeze.freeze(disk);
    }

    @Test
    void snapshotsAreDeletedCappedAndGoWithTheServer() {
        String id = "snap-cap";
        Path dir = TestHost.agent().state().server(id);
        try {
            servers().create(new CreateRequest(id, "cap", "busybox", TestHost.limits(null, null, null, 64L), false));
            for (int i = 0; i < Snapshots.MAX_PER_SERVER; i++) {
                copies().snapshot(id, "s" + i);
            }
            AgentException cap = assertThrows(AgentException.class, () -> copies().snapshot(id, "one-more"));
            assertEquals(AgentException.Kind.CONFLICT, cap.kind());
            assertTrue(cap.getMessage().contains("16 snapshots"), cap.getMessage());
            assertEquals("s0", copies().listSnapshots(id).get(0).id(), "oldest first");

            copies().deleteSnapshot(id, "s3");
            copies().deleteSnapshot(id, "s3"); // absent: nothing to do
            assertEquals(Snapshots.MAX_PER_SERVER - 1, copies().listSnapshots(id).size());
            assertFalse(Files.exists(dir.resolve("snapshots/s3.img")));
            copies().snapshot(id, "one-more");

            AgentException bad = assertThrows(AgentException.class, () -> copies().snapshot(id, "Not/OK"));
            assertEquals("id", bad.field());
            assertThrows(AgentException.class, () -> copies().restoreSnapshot(id, "absent"));

            servers().reinstall(id);
            assertEquals(Snapshots.MAX_PER_SERVER, copies().listSnapshots(id).size(), "reinstall keeps them");
            servers().destroy(id);
            assertFalse(Files.exists(dir), "destroy removes them");
            assertFalse(Command.run("losetup", "-a").contains(dir.toString()));
        } finally {
            destroyQuietly(id);
        }
    }
}
