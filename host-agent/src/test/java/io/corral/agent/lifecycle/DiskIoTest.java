package io.corral.agent.lifecycle;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Measured;
import io.corral.agent.TestHost;
import io.corral.agent.spec.LimitsChange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Disk IO limits on the server's loop device, timed inside. On both cgroup versions direct writes
 * and reads, and buffered reads of what is not cached, hold the MiB/s and the IOPS (at most 10% above, see
 * {@link Measured}), and a change takes effect at once. Buffered writes are held on cgroup v2 only, where writeback is counted
 * against the group that dirtied the pages (see host-agent/README.md).
 */
class DiskIoTest {

    @Test
    void directIoAndBufferedReadsHoldTheRateWhichChangesWhileRunning() throws Exception {
        String id = "io-direct";
        try {
            running(id, io(8L, null));
            Measured.held(8, 24 / seconds(id, "dd if=/dev/zero of=/root/f bs=1M count=24 oflag=direct"), "MiB/s", "direct writes");
            Measured.held(8, 24 / seconds(id, "dd if=/root/f of=/dev/null bs=1M iflag=direct"), "MiB/s", "direct reads");
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1"); // so that the buffered read goes to the disk
            Measured.held(8, 24 / seconds(id, "dd if=/root/f of=/dev/null bs=1M"), "MiB/s", "buffered reads");

            servers().limits().change(id, io(16L, 200L), null);
            Measured.held(16, 32 / seconds(id, "dd if=/dev/zero of=/root/g bs=1M count=32 oflag=direct"), "MiB/s", "16 MiB/s");
            Measured.held(200, 600 / seconds(id, "dd if=/dev/zero of=/root/h bs=4k count=600 oflag=direct"), "IOPS", "200 IOPS");

            servers().limits().change(id, io(0L, 0L), null);
            // well above the last limit, though an emulated disk beside other tests may not go much faster
            double unlimited = 32 / seconds(id, "dd if=/dev/zero of=/root/g bs=1M count=32 oflag=direct");
            assertTrue(unlimited > 16 * 1.5, "no limit: " + unlimited + " MiB/s");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void bufferedWritesHoldTheRateOnCgroupV2() throws Exception {
        assumeTrue(TestHost.cgroupVersion().equals("v2"), "cgroup v1 does not hold buffered writes: its writeback is the root group's");
        String id = "io-buffered";
        try {
            running(id, io(4L, null));
            String max = Files.readString(servers().cgroups().file("io", "vs-" + id, "io.max"));
            assertTrue(max.contains("wbps=4194304"), max);
            Measured.held(4, 24 / seconds(id, "dd if=/dev/zero of=/root/f bs=1M count=24 && sync"), "MiB/s", "buffered writes and sync");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void ioLimitsOutOfRangeAreRefusedNamingTheField() {
        AgentException e = assertThrows(AgentException.class,
                () -> servers().create(new CreateRequest("io-bad", "io", "busybox", io(-1L, null), false)));
        assertEquals("limits.diskMiBps", e.field());
        e = assertThrows(AgentException.class,
                () -> servers().create(new CreateRequest("io-bad", "io", "busybox", io(null, 10_000_001L), false)));
        assertEquals("limits.diskIops", e.field());
    }

    static LimitsChange io(Long mibPerSecond, Long iops) {
        return new LimitsChange(null, null, null, null, null, 256L, null, null, mibPerSecond, iops);
    }

    /**
     * How long a shell command took inside, by the kernel's uptime read before and after in the same shell
     * (10 ms steps): the time to start the exec is not counted, which under emulation is seconds.
     */
    static double seconds(String id, String script) {
        String[] uptimes = sh(id, "cut -d' ' -f1 /proc/uptime; " + script + " 2>/dev/null; cut -d' ' -f1 /proc/uptime").trim().split("\n");
        return Double.parseDouble(uptimes[1]) - Double.parseDouble(uptimes[0]);
    }

}
