package io.corral.agent.cgroup;

import io.corral.agent.containment.DeviceProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cgroup v2: one unified tree, the server's group at <parent>/<group> with cpu, memory, pids and io
 * enabled (memory and io in one tree: the kernel counts a buffered write's writeback against the group
 * that dirtied the page, so io.max holds buffered writes too), and the device allow-list as a program attached to the group ({@link DeviceProgram}).
 */
final class CgroupV2 implements Cgroups {
    private static final String CONTROLLERS = "+cpu +memory +pids +io";
    private final Path root;
    private final String parent;
    /** False for a tree that only looks like cgroup2 (the tests'), where no program can be attached. */
    private final boolean deviceProgram;

    CgroupV2(Path root, String parent, boolean deviceProgram) {
        this.root = root;
        this.parent = parent;
        this.deviceProgram = deviceProgram;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public Path file(String controller, String group, String file) {
        return dir(group).resolve(file);
    }

    private Path dir(String group) {
        return root.resolve(parent).resolve(group);
    }

    @Override
    public void apply(String group, CgroupLimits limits) {
        Path parentDir = root.resolve(parent);
        if (!Files.isDirectory(dir(group))) {
            // Processes live only in leaves; controllers must be enabled on each level above them.
            CgroupFiles.write(root.resolve("cgroup.subtree_control"), CONTROLLERS);
            CgroupFiles.mkdir(parentDir);
            CgroupFiles.write(parentDir.resolve("cgroup.subtree_control"), CONTROLLERS);
            CgroupFiles.mkdir(dir(group));
            if (deviceProgram) {
                DeviceProgram.attach(dir(group));
            }
        }
        CgroupFiles.write(dir(group).resolve("memory.max"), Long.toString(CgroupUnits.bytes(limits.memoryMiB())));
        CgroupFiles.write(dir(group).resolve("memory.swap.max"), Long.toString(CgroupUnits.bytes(limits.swapMiB())));
        CgroupFiles.write(dir(group).resolve("cpu.max"),
                CgroupUnits.cpuQuotaMicros(limits.cpus()) + " " + CgroupUnits.CPU_PERIOD_US);
        CgroupFiles.write(dir(group).resolve("cpu.weight"), Integer.toString(limits.cpuWeight()));
        CgroupFiles.write(dir(group).resolve("pids.max"), Integer.toString(limits.pids()));
        if (limits.io() != null) {
            IoLimit io = limits.io();
            String bytes = io.mibPerSecond() == 0 ? "max" : Long.toString(CgroupUnits.bytes(io.mibPerSecond()));
            String iops = io.iops() == 0 ? "max" : Long.toString(io.iops());
            CgroupFiles.write(dir(group).resolve("io.max"),
                    io.device() + " rbps=" + bytes + " wbps=" + bytes + " riops=" + iops + " wiops=" + iops);
        }
    }

    @Override
    public List<Path> joinFiles(String group) {
        return List.of(dir(group).resolve("cgroup.procs"));
    }

    @Override
    public Set<Integer> pids(String group) {
        return CgroupFiles.readPids(dir(group).resolve("cgroup.procs"));
    }

    @Override
    public void remove(String group) {
        CgroupFiles.rmdir(dir(group));
        CgroupFiles.rmdirIfEmpty(root.resolve(parent));
    }

    @Override
    public CgroupStats stats(String group) {
        Map<String, Long> cpu = CgroupFiles.readKeyed(dir(group).resolve("cpu.stat"));
        Map<String, Long> events = CgroupFiles.readKeyed(dir(group).resolve("memory.events"));
        return new CgroupStats(
                cpu.getOrDefault("usage_usec", 0L) * 1000,
                CgroupFiles.readLong(dir(group).resolve("memory.current")),
                CgroupFiles.readLong(dir(group).resolve("memory.peak")),
                CgroupFiles.readLong(dir(group).resolve("pids.current")),
                events.getOrDefault("oom_kill", 0L),
                cpu.getOrDefault("throttled_usec", 0L) * 1000,
                CgroupFiles.readKeyed(dir(group).resolve("pids.events")).getOrDefault("max", 0L),
                CgroupFiles.readPressureMicros(dir(group).resolve("cpu.pressure")),
                CgroupFiles.readPressureMicros(dir(group).resolve("memory.pressure")),
                CgroupFiles.readPressureMicros(dir(group).resolve("io.pressure")));
    }

    @Override
    public boolean freeze(String group, Duration patience) {
        CgroupFiles.write(dir(group).resolve("cgroup.freeze"), "1");
        if (!CgroupFiles.awaitLine(dir(group).resolve("cgroup.events"), "frozen 1", patience)) {
            thaw(group);
            throw new IllegalStateException("the processes of cgroup " + group + " did not all freeze within "
                    + patience.toMillis() + " ms (" + dir(group).resolve("cgroup.events") + " does not read frozen 1)");
        }
        return true;
    }

    @Override
    public void thaw(String group) {
        if (Files.exists(dir(group).resolve("cgroup.freeze"))) {
            CgroupFiles.write(dir(group).resolve("cgroup.freeze"), "0");
        }
    }

    @Override
    public boolean limitsSwap() {
        return true;
    }

    @Override
    public boolean controlsDevices() {
        return deviceProgram;
    }
}
