package io.corral.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corral.agent.TestHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cgroup v2, for real: this host's cgroup2 tree at /sys/fs/cgroup (test-v2.sh's guest); skipped on a
 * cgroup v1 host, where CgroupV2Test's directory shaped like the tree stands in.
 */
class CgroupV2HostTest extends CgroupContractTest {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final String PARENT = "corral-contract-test";
    private final Cgroups v2 = Cgroups.detect(PARENT);

    @BeforeAll
    static void onlyOnAV2Host() {
        assumeTrue(TestHost.cgroupVersion().equals("v2"), "this host runs cgroup v1");
    }

    @Override
    Cgroups cgroups() {
        return v2;
    }

    @Override
    void assertLimitsWritten() throws IOException {
        Path dir = ROOT.resolve(PARENT).resolve(GROUP);
        assertEquals(Long.toString(64L << 20), read(dir.resolve("memory.max")));
        assertEquals(Long.toString(32L << 20), read(dir.resolve("memory.swap.max")));
        assertEquals("50000 100000", read(dir.resolve("cpu.max")));
        assertEquals("200", read(dir.resolve("cpu.weight")));
        assertEquals("77", read(dir.resolve("pids.max")));
        assertEquals("7:0 rbps=8388608 wbps=8388608 riops=100 wiops=100", read(dir.resolve("io.max")));
        // a controller works in a group only where every level above enables it for its children
        for (Path level : List.of(ROOT, ROOT.resolve(PARENT))) {
            assertTrue(List.of(read(level.resolve("cgroup.subtree_control")).split(" ")).containsAll(List.of("cpu", "memory", "pids", "io")),
                    level + " enables cpu, memory, pids and io");
        }
    }

    @Test
    void processesLiveOnlyInTheServersLeafGroup() throws Exception {
        v2.apply(GROUP, LIMITS);
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            join((int) sleeper.pid());
            assertEquals("", read(ROOT.resolve(PARENT).resolve("cgroup.procs")), "the parent group holds no process");
            assertEquals("0::/" + PARENT + "/" + GROUP, read(Path.of("/proc/" + sleeper.pid() + "/cgroup")));
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
    }

    @Test
    void detectionPicksV2OnAV2Host() {
        assertEquals("v2", v2.version());
        assertTrue(v2.controlsDevices(), "the device program is attached to real groups");
    }
}
