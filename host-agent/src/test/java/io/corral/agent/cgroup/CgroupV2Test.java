package io.corral.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cgroup v2 file handling against a directory laid out like a cgroup2 mount. */
class CgroupV2Test extends CgroupContractTest {
    private Path root;
    private Cgroups v2;

    @BeforeEach
    void fakeMount() throws IOException {
        root = Files.createTempDirectory("cgroup2-");
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "");
        v2 = new CgroupV2(root, "corral", false);
    }

    @AfterEach
    void removeFake() {
        FileTrees.delete(root);
    }

    @Override
    Cgroups cgroups() {
        return v2;
    }

    @Override
    boolean kernels() {
        return false;
    }

    @Override
    void remove() {
        // The kernel removes a group's control files with it; the fake tree has to drop them by hand.
        Path dir = root.resolve("corral").resolve(GROUP);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        super.remove();
    }

    @Override
    void assertLimitsWritten() throws IOException {
        Path dir = root.resolve("corral").resolve(GROUP);
        assertEquals("+cpu +memory +pids +io", read(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +memory +pids +io", read(root.resolve("corral/cgroup.subtree_control")));
        assertEquals(Long.toString(64L << 20), read(dir.resolve("memory.max")));
        assertEquals(Long.toString(32L << 20), read(dir.resolve("memory.swap.max")));
        assertEquals("50000 100000", read(dir.resolve("cpu.max")));
        assertEquals("200", read(dir.resolve("cpu.weight")));
        assertEquals("77", read(dir.resolve("pids.max")));
        assertEquals("7:0 rbps=8388608 wbps=8388608 riops=100 wiops=100", read(dir.resolve("io.max")));
    }

    @Test
    void ioLimitsOfZeroAreWrittenAsMax() throws IOException {
        v2.apply(GROUP, new CgroupLimits(64, 32, 0.5, 200, 77, new IoLimit("7:0", 0, 0)));
        assertEquals("7:0 rbps=max wbps=max riops=max wiops=max", read(root.resolve("corral").resolve(GROUP).resolve("io.max")));
    }

    @Override
    void join(int pid) throws IOException {
        Path dir = root.resolve("corral").resolve(GROUP);
        assertEquals(java.util.List.of(dir.resolve("cgroup.procs")), v2.joinFiles(GROUP));
        Files.writeString(dir.resolve("cgroup.procs"), pid + "\n");
        Files.writeString(dir.resolve("pids.current"), "1\n");
    }

    @Override
    void leave(int pid) throws IOException {
        Files.writeString(root.resolve("corral").resolve(GROUP).resolve("cgroup.procs"), "");
    }

    @Test
    void statsReadTheV2Counters() throws IOException {
        v2.apply(GROUP, LIMITS);
        Path dir = root.resolve("corral").resolve(GROUP);
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_throttled 3\nthrottled_usec 700\n");
        Files.writeString(dir.resolve("memory.current"), "4096\n");
        Files.writeString(dir.resolve("memory.peak"), "8192\n");
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\n");
        Files.writeString(dir.resolve("pids.current"), "5\n");
        Files.writeString(dir.resolve("pids.events"), "max 9\n");
        Files.writeString(dir.resolve("cpu.pressure"), "some avg10=1.00 avg60=0.50 avg300=0.10 total=3300\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        Files.writeString(dir.resolve("memory.pressure"), "some avg10=0.00 avg60=0.00 avg300=0.00 total=44\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=40\n");
        assertEquals(new CgroupStats(1_500_000, 4096, 8192, 5, 2, 700_000, 9, 3300, 44, 0), v2.stats(GROUP));
    }

    @Test
    void detectionPicksV2WhenCgroup2IsMountedAtSysFsCgroup() throws IOException {
        Path mountinfo = root.resolve("mountinfo");
        Files.writeString(mountinfo, "25 1 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n");
        assertEquals("v2", CgroupDetector.detect(mountinfo, "corral").version());
    }
}
