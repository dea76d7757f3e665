package io.corral.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corral.agent.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** cgroup v1, for real: this host's hierarchy at /sys/fs/cgroup; skipped on a cgroup v2 host. */
class CgroupV1Test extends CgroupContractTest {
    private final Cgroups v1 = Cgroups.detect("corral");

    @BeforeAll
    static void onlyOnAV1Host() {
        assumeTrue(TestHost.cgroupVersion().equals("v1"), "this host runs cgroup v2");
    }

    @Override
    Cgroups cgroups() {
        return v1;
    }

    @Override
    void assertLimitsWritten() throws IOException {
        assertEquals(Long.toString(64L << 20), read(v1.file("memory", GROUP, "memory.limit_in_bytes")));
        assertEquals(Long.toString(96L << 20), read(v1.file("memory", GROUP, "memory.memsw.limit_in_bytes")));
        assertEquals("50000", read(v1.file("cpu", GROUP, "cpu.cfs_quota_us")));
        assertEquals("100000", read(v1.file("cpu", GROUP, "cpu.cfs_period_us")));
        assertEquals("2048", read(v1.file("cpu", GROUP, "cpu.shares")));
        assertEquals("77", read(v1.file("pids", GROUP, "pids.max")));
        assertEquals("7:0 8388608", read(v1.file("blkio", GROUP, "blkio.throttle.read_bps_device")));
        assertEquals("7:0 8388608", read(v1.file("blkio", GROUP, "blkio.throttle.write_bps_device")));
        assertEquals("7:0 100", read(v1.file("blkio", GROUP, "blkio.throttle.read_iops_device")));
        assertEquals("7:0 100", read(v1.file("blkio", GROUP, "blkio.throttle.write_iops_device")));
    }

    @Test
    void ioLimitsOfZeroAreRemoved() throws IOException {
        v1.apply(GROUP, LIMITS);
        v1.apply(GROUP, new CgroupLimits(64, 32, 0.5, 200, 77, new IoLimit("7:0", 0, 0)));
        assertEquals("", read(v1.file("blkio", GROUP, "blkio.throttle.write_bps_device")));
        assertEquals("", read(v1.file("blkio", GROUP, "blkio.throttle.read_iops_device")));
    }

    @Test
    void memoryCanBeRaisedAboveTheOldMemoryPlusSwapAndLoweredAgain() throws IOException {
        v1.apply(GROUP, LIMITS);
        v1.apply(GROUP, new CgroupLimits(512, 0, 1, 100, 77));
        assertEquals(Long.toString(512L << 20), read(v1.file("memory", GROUP, "memory.limit_in_bytes")));
        v1.apply(GROUP, LIMITS);
        assertEquals(Long.toString(64L << 20), read(v1.file("memory", GROUP, "memory.limit_in_bytes")));
    }

    @Test
    void detectionPicksV1OnAV1Host() {
        assertEquals("v1", Cgroups.detect("corral").version());
        assertTrue(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
    }
}
