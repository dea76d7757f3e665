package io.corral.agent.lifecycle;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.exec;
import static io.corral.agent.TestHost.limits;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits hold against workloads that try to exceed them, and the host stays untouched. */
class LimitsTest {

    @Test
    void aMemoryHogIsOomKilledInsideAtItsLimit() throws Exception {
        String id = "lim-mem";
        try {
            running(id, limits(64L, null, null, null));
            long hostAvailableBefore = availableMiB();
            ExecResult hog = exec(id, "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
            assertNotEquals(0, hog.exitCode(), "a 200 MiB buffer cannot fit in 64 MiB");
            assertTrue(servers().stats(id).cgroup().oomKills() >= 1, "the kernel's OOM killer acted in the server's group");
            assertEquals(ServerState.running, servers().get(id).state(), "init survives; only the hog was killed");
            assertTrue(availableMiB() > hostAvailableBefore - 1024, "the host kept its memory");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aForkBombIsCappedAtThePidsLimit() {
        String id = "lim-fork";
        try {
            running(id, limits(null, null, 40, null));
            ExecResult bomb = exec(id, "sh", "-c", "i=0; while [ $i -lt 100 ]; do sleep 30 </dev/null >/dev/null 2>&1 & i=$((i+1)); done");
            assertTrue(bomb.stderr().contains("fork") || bomb.stderr().contains("resource"), bomb.stderr());
            assertTrue(servers().stats(id).cgroup().processes() <= 40);
            Command.run("true"); // the host can still fork
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aForkBombAsTheTemplatesOwnInitIsCapped() throws Exception {
        String id = "lim-bomb-init";
        Path template = TestHost.agent().state().templates().resolve("forkbomb");
        try {
            Path rootfs = template.resolve("rootfs");
            Command.run("cp", "-a", TestHost.agent().state().templates().resolve("busybox").toString(), template.toString());
            Files.delete(rootfs.resolve("sbin/init"));
            Files.writeString(rootfs.resolve("sbin/init"), "#!/bin/sh\nb() { b | b & }\nb\nwhile :; do b; done\n");
            Command.run("chmod", "755", rootfs.resolve("sbin/init").toString());
            servers().create(new CreateRequest(id, "bomb", "forkbomb", limits(null, null, 32, null), false));
            servers().start(id);
            Await.until(Duration.ofSeconds(10), "the bomb's forks are refused at the pids limit",
                    () -> servers().stats(id).cgroup().pidsLimitHits() >= 1);
            for (int i = 0; i < 20; i++) {
                assertTrue(servers().stats(id).cgroup().processes() <= 32);
            }
            Command.run("true"); // the host can still fork
            // busybox sh gives up when it cannot fork, so the bomb's init may already have ended the server
            if (servers().get(id).state() == ServerState.running) {
                servers().stop(id);
            }
            assertEquals(ServerState.stopped, servers().get(id).state());
        } finally {
            destroyQuietly(id);
            Command.run("rm", "-rf", template.toString());
        }
    }

    @Test
    void aBusyLoopUnderHalfACoreUsesAboutHalfACore() {
        String id = "lim-cpu";
        try {
            running(id, limits(null, 0.5, null, null));
            long before = servers().stats(id).cgroup().cpuNanos();
            long start = System.nanoTime();
            exec(id, "timeout", "3", "sh", "-c", "while :; do :; done");
            double wall = System.nanoTime() - start;
            double cores = (servers().stats(id).cgroup().cpuNanos() - before) / wall;
            assertTrue(cores > 0.35 && cores < 0.6, "used " + cores + " cores");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void writingPastTheDiskQuotaFailsWithEnospc() {
        String id = "lim-disk";
        try {
            running(id, limits(null, null, null, 64L));
            ExecResult fill = exec(id, "dd", "if=/dev/zero", "of=/root/fill", "bs=1M", "count=100");
            assertNotEquals(0, fill.exitCode());
            assertTrue(fill.stderr().contains("No space left on device"), fill.stderr());
            long used = Long.parseLong(sh(id, "du -m /root/fill | cut -f1").trim());
            assertTrue(used < 64, "wrote " + used + " MiB into a 64 MiB quota");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void limitsChangedWhileRunningTakeEffect() {
        String id = "lim-change";
        try {
            running(id, limits(128L, 1.0, 200, null));
            String spawn30 = "i=0; while [ $i -lt 30 ]; do sleep 30 </dev/null >/dev/null 2>&1 & i=$((i+1)); done; kill $(jobs -p) 2>/dev/null; true";
            assertTrue(exec(id, "sh", "-c", spawn30).stderr().isEmpty(), "30 processes fit under 200");
            ServerView changed = servers().limits().change(id, new LimitsChange(64L, null, 0.25, null, 16, null), null);
            assertEquals(16, changed.limits().pids());
            assertEquals("16", read(servers().cgroups().file("pids", "vs-" + id, "pids.max")));
            assertTrue(exec(id, "sh", "-c", spawn30).stderr().contains("fork"), "30 processes no longer fit under 16");
            ExecResult hog = exec(id, "dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1");
            assertNotEquals(0, hog.exitCode(), "100 MiB no longer fits under the new 64 MiB");
            assertEquals(64, servers().get(id).limits().memoryMiB(), "the change is kept in the spec");
        } finally {
            destroyQuietly(id);
        }
    }

    /**
     * A change the host refuses partway (here pids.max, written after memory, made unwritable) puts back what the server
     * had: its memory bound as before, and its spec unchanged. Its operation, whose putting back failed too (pids.max),
     * is not saved as refused: sent again, it is taken.
     */
    @Test
    void aChangeRefusedPartwayPutsBackWhatTheServerHad() {
        String id = "lim-part";
        Path pidsMax = servers().cgroups().file("pids", "vs-" + id, "pids.max");
        Path memoryMax = servers().cgroups().file("memory", "vs-" + id,
                servers().cgroups().version().equals("v2") ? "memory.max" : "memory.limit_in_bytes");
        try {
            running(id, limits(128L, null, 200, null));
            // a file of /proc in its place: a write to it fails with EIO
            Command.run("mount", "--bind", "/proc/version", pidsMax.toString());
            try {
                RuntimeException refused = assertThrows(RuntimeException.class,
                        () -> servers().limits().change(id, new LimitsChange(64L, null, null, null, 16, null), 5L));
                assertTrue(String.valueOf(refused.getMessage()).contains("pids.max"), refused.getMessage());
            } finally {
                Command.run("umount", pidsMax.toString());
            }
            assertEquals(String.valueOf(128L << 20), read(memoryMax), "the memory's part of the change put back");
            assertEquals(128, servers().get(id).limits().memoryMiB(), "the spec as it was");
            assertTrue(servers().get(id).limitsInDoubt(), "pids.max could not be put back either: the server may hold some of each");
            // not saved as refused, so the operation sent again is taken
            ServerView taken = servers().limits().change(id, new LimitsChange(64L, null, null, null, 16, null), 5L);
            assertEquals(16, taken.limits().pids());
            assertFalse(taken.limitsInDoubt(), "held to its limits whole again");
            assertEquals(String.valueOf(64L << 20), read(memoryMax));
        } finally {
            destroyQuietly(id);
        }
    }

    /**
     * The panel's operations: one sent again (its answer lost) is answered as it went, and one older than the last, or
     * refused already, held up on the way, changes nothing when it comes.
     */
    @Test
    void anOperationSentAgainOrLateChangesTheServerOnce() {
        String id = "lim-fence";
        Path memoryMax = servers().cgroups().file("memory", "vs-" + id,
                servers().cgroups().version().equals("v2") ? "memory.max" : "memory.limit_in_bytes");
        try {
            running(id, limits(128L, null, 200, null));
            assertEquals(64, memory(id, 64L, 9L).limits().memoryMiB());
            assertEquals(64, memory(id, 64L, 9L).limits().memoryMiB(), "sent again: answered as it went");

            AgentException late = assertThrows(AgentException.class, () -> memory(id, 256L, 8L));
            assertEquals(AgentException.Kind.SUPERSEDED, late.kind());
            assertEquals("operation 8 comes before operation 9, the last this server had", late.getMessage());
            assertEquals(String.valueOf(64L << 20), read(memoryMax), "the late one changed nothing");

            AgentException refused = assertThrows(AgentException.class,
                    () -> servers().limits().change(id, new LimitsChange(null, null, null, null, null, 128L), 10L));
            assertEquals("limits.diskMiB", refused.field(), "a running server's disk: refused");
            AgentException again = assertThrows(AgentException.class, () -> memory(id, 96L, 10L));
            assertEquals("operation 10 was refused: limits.diskMiB: can only change while the server is stopped", again.getMessage(),
                    "a copy of it, whatever it asks, is refused too, for the reason the first was");
            assertEquals("limits.diskMiB", again.field());
            assertEquals(64, servers().get(id).limits().memoryMiB());

            assertEquals(96, memory(id, 96L, 11L).limits().memoryMiB(), "the next operation is taken");
            assertEquals(32, memory(id, 32L, null).limits().memoryMiB(), "and a change from the command line, which has none");
            assertEquals(String.valueOf(32L << 20), read(memoryMax));
        } finally {
            destroyQuietly(id);
        }
    }

    private static ServerView memory(String id, long mib, Long operation) {
        return servers().limits().change(id, new LimitsChange(mib, null, null, null, null, null), operation);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long availableMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        throw new AssertionError("no MemAvailable");
    }
}
