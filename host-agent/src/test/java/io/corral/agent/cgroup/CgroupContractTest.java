package io.corral.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same behaviour from both backends: limits land in the version's own files and units, a process
 * joins through joinFiles, and removal leaves no group. Each version runs against the real hierarchy
 * where the host has it (CgroupV1Test, CgroupV2HostTest); v2 also against a directory laid out like a
 * cgroup2 mount (CgroupV2Test), so hosts on v1 check it too.
 */
abstract class CgroupContractTest {
    static final String GROUP = "vs-contract-test";
    /** IO limits for loop0, which exists wherever the loop driver is loaded. */
    static final CgroupLimits LIMITS = new CgroupLimits(64, 32, 0.5, 200, 77, new IoLimit("7:0", 8, 100));

    abstract Cgroups cgroups();

    /** What the kernel would show in the group's files for LIMITS. */
    abstract void assertLimitsWritten() throws IOException;

    /** Puts a process into the group, as corral-enter does for a server's init, through every join file. */
    void join(int pid) throws IOException {
        for (Path procs : cgroups().joinFiles(GROUP)) {
            CgroupFiles.write(procs, Integer.toString(pid));
        }
    }

    @AfterEach
    void remove() {
        if (Files.exists(cgroups().file("pids", GROUP, ""))) {
            cgroups().remove(GROUP);
        }
    }

    @Test
    void limitsAreWrittenInTheVersionsUnits() throws IOException {
        cgroups().apply(GROUP, LIMITS);
        assertLimitsWritten();
    }

    @Test
    void aProcessThatJoinsIsListedAndRemovalLeavesNoGroup() throws IOException {
        cgroups().apply(GROUP, LIMITS);
        assertFalse(cgroups().joinFiles(GROUP).isEmpty());
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            join((int) sleeper.pid());
            assertEquals(Set.of((int) sleeper.pid()), cgroups().pids(GROUP));
            assertEquals(1, cgroups().stats(GROUP).processes());
        } finally {
            sleeper.destroyForcibly();
            try {
                sleeper.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leave((int) sleeper.pid());
        io.corral.agent.Await.until(java.time.Duration.ofSeconds(5), "group empty", () -> cgroups().pids(GROUP).isEmpty());
        remove();
        assertFalse(Files.exists(cgroups().file("pids", GROUP, "")));
    }

    /** Whether this is the kernel's own hierarchy (a fake tree has no freezer that answers). */
    boolean kernels() {
        return true;
    }

    @Test
    void freezeStopsTheGroupsProcessesUntilThawed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kernels(), "a tree laid out like cgroup2 has no freezer");
        cgroups().apply(GROUP, LIMITS);
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            join((int) spinner.pid());
            assertTrue(cgroups().freeze(GROUP, java.time.Duration.ofSeconds(5)));
            assertTrue(frozen(), "the kernel reports the group frozen");
            long cpu = cpuTicks(spinner.pid());
            // a frozen spinner gets no CPU: its time stays put while the group's state is read again
            io.corral.agent.Await.until(java.time.Duration.ofSeconds(2), "state read", this::frozen);
            assertEquals(cpu, cpuTicks(spinner.pid()));
            cgroups().thaw(GROUP);
            assertFalse(frozen(), "thawed");
            io.corral.agent.Await.until(java.time.Duration.ofSeconds(5), "the spinner runs again", () -> cpuTicks(spinner.pid()) > cpu);
        } finally {
            cgroups().thaw(GROUP);
            spinner.destroyForcibly();
            spinner.waitFor();
        }
        io.corral.agent.Await.until(java.time.Duration.ofSeconds(5), "group empty", () -> cgroups().pids(GROUP).isEmpty());
    }

    private boolean frozen() {
        try {
            if (cgroups().version().equals("v2")) {
                return Files.readAllLines(cgroups().file("", GROUP, "cgroup.events")).contains("frozen 1");
            }
            return read(cgroups().file("freezer", GROUP, "freezer.state")).equals("FROZEN");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** utime + stime of the process, from /proc/PID/stat. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The kernel's side of a process ending: nothing to do for a real hierarchy. */
    void leave(int pid) throws IOException {
    }

    static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
