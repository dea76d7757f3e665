package io.corral.agent.cgroup;

import io.corral.agent.containment.Containment;
import io.corral.agent.containment.DeviceProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * cgroup v1: one hierarchy per controller, the server's group at <controller>/<parent>/<group>. Where
 * the host also mounts the controller-less cgroup2 tree at "unified" (the hybrid layout), the server
 * gets a group there too: the kernel keeps pressure stall information per group of that tree only.
 */
final class CgroupV1 implements Cgroups {
    private static final Logger LOG = Logger.getLogger(CgroupV1.class.getName());
    private final Path root;
    private final String parent;
    /** The hierarchies a server's group spans: devices, blkio and freezer too where the host mounts them. */
    private final List<String> controllers;
    private final boolean unified;

    CgroupV1(Path root, String parent, boolean unified) {
        this.root = root;
        this.parent = parent;
        this.unified = unified;
        List<String> used = new ArrayList<>(List.of("memory", "cpu", "cpuacct", "pids"));
        for (String optional : List.of("devices", "blkio", "freezer")) {
            if (Files.isDirectory(root.resolve(optional))) {
                used.add(optional);
            }
        }
        this.controllers = List.copyOf(used);
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public Path file(String controller, String group, String file) {
        return dir(controller, group).resolve(file);
    }

    private Path dir(String controller, String group) {
        return root.resolve(controller).resolve(parent).resolve(group);
    }

    @Override
    public void apply(String group, CgroupLimits limits) {
        for (String controller : controllers) {
            CgroupFiles.mkdir(dir(controller, group));
        }
        if (unified && !Files.isDirectory(unifiedDir(group))) {
            CgroupFiles.mkdir(root.resolve("unified").resolve(parent));
            CgroupFiles.mkdir(unifiedDir(group));
            // The kernel asks the unified group's device program as well as the devices controller: the
            // allow-list twice, so a gap in one is not a way out. The controller is what holds here.
            try {
                DeviceProgram.attach(unifiedDir(group));
            } catch (RuntimeException e) {
                LOG.warning("no device program on " + unifiedDir(group) + " (the devices controller still holds): " + e.getMessage());
            }
        }
        long memory = CgroupUnits.bytes(limits.memoryMiB());
        if (limitsSwap()) {
            long memsw = CgroupUnits.bytes(limits.memoryMiB() + limits.swapMiB());
            // The kernel keeps memory <= memory+swap at every step, so the order depends on the direction.
            long current = CgroupFiles.readLong(file("memory", group, "memory.limit_in_bytes"));
            if (memory > current) {
                CgroupFiles.write(file("memory", group, "memory.memsw.limit_in_bytes"), Long.toString(memsw));
                CgroupFiles.write(file("memory", group, "memory.limit_in_bytes"), Long.toString(memory));
            } else {
                CgroupFiles.write(file("memory", group, "memory.limit_in_bytes"), Long.toString(memory));
                CgroupFiles.write(file("memory", group, "memory.memsw.limit_in_bytes"), Long.toString(memsw));
            }
        } else {
            CgroupFiles.write(file("memory", group, "memory.limit_in_bytes"), Long.toString(memory));
        }
        CgroupFiles.write(file("cpu", group, "cpu.cfs_period_us"), Long.toString(CgroupUnits.CPU_PERIOD_US));
        CgroupFiles.write(file("cpu", group, "cpu.cfs_quota_us"), Long.toString(CgroupUnits.cpuQuotaMicros(limits.cpus())));
        CgroupFiles.write(file("cpu", group, "cpu.shares"), Long.toString(CgroupUnits.cpuShares(limits.cpuWeight())));
        CgroupFiles.write(file("pids", group, "pids.max"), Integer.toString(limits.pids()));
        if (limits.io() != null && controllers.contains("blkio")) {
            throttle(group, limits.io());
        }
        restrictDevices(group);
    }

    /**
     * blkio's throttle rules for the device, 0 removing one. They hold the IO the server's tasks issue:
     * direct IO and reads. Buffered writes reach the device from the kernel's writeback threads, which
     * v1 counts against the root group, so they are not held (see host-agent/README.md).
     */
    private void throttle(String group, IoLimit io) {
        String bytes = io.device() + " " + CgroupUnits.bytes(io.mibPerSecond());
        String iops = io.device() + " " + io.iops();
        CgroupFiles.write(file("blkio", group, "blkio.throttle.read_bps_device"), bytes);
        CgroupFiles.write(file("blkio", group, "blkio.throttle.write_bps_device"), bytes);
        CgroupFiles.write(file("blkio", group, "blkio.throttle.read_iops_device"), iops);
        CgroupFiles.write(file("blkio", group, "blkio.throttle.write_iops_device"), iops);
    }

    /**
     * Once, on the new group (which inherits "a *:* rwm"): deny all, then allow the list. Never again
     * on a live server, whose allowed devices would flicker away between the two writes.
     */
    private void restrictDevices(String group) {
        if (!controlsDevices()) {
            return;
        }
        Path list = file("devices", group, "devices.list");
        if (Files.exists(list) && !CgroupFiles.read(list).contains("a *:* rwm")) {
            return;
        }
        CgroupFiles.write(file("devices", group, "devices.deny"), "a");
        for (String rule : Containment.DEVICES.keySet()) {
            CgroupFiles.write(file("devices", group, "devices.allow"), rule);
        }
    }

    @Override
    public boolean controlsDevices() {
        return controllers.contains("devices");
    }

    private Path unifiedDir(String group) {
        return root.resolve("unified").resolve(parent).resolve(group);
    }

    @Override
    public List<Path> joinFiles(String group) {
        List<Path> files = new ArrayList<>();
        for (String controller : controllers) {
            files.add(file(controller, group, "tasks"));
        }
        if (unified) { // the unified tree, like cgroup v2, moves whole processes only
            files.add(unifiedDir(group).resolve("cgroup.procs"));
        }
        return files;
    }

    @Override
    public Set<Integer> pids(String group) {
        return CgroupFiles.readPids(file("pids", group, "cgroup.procs"));
    }

    @Override
    public void remove(String group) {
        for (String controller : controllers) {
            CgroupFiles.rmdir(dir(controller, group));
            CgroupFiles.rmdirIfEmpty(root.resolve(controller).resolve(parent));
        }
        if (unified) {
            CgroupFiles.rmdir(unifiedDir(group));
            CgroupFiles.rmdirIfEmpty(root.resolve("unified").resolve(parent));
        }
    }

    @Override
    public CgroupStats stats(String group) {
        Map<String, Long> cpuStat = CgroupFiles.readKeyed(file("cpu", group, "cpu.stat"));
        Map<String, Long> oom = CgroupFiles.readKeyed(file("memory", group, "memory.oom_control"));
        return new CgroupStats(
                CgroupFiles.readLong(file("cpuacct", group, "cpuacct.usage")),
                CgroupFiles.readLong(file("memory", group, "memory.usage_in_bytes")),
                CgroupFiles.readLong(file("memory", group, "memory.max_usage_in_bytes")),
                CgroupFiles.readLong(file("pids", group, "pids.current")),
                oom.getOrDefault("oom_kill", 0L),
                cpuStat.getOrDefault("throttled_time", 0L),
                CgroupFiles.readKeyed(file("pids", group, "pids.events")).getOrDefault("max", 0L),
                unified ? CgroupFiles.readPressureMicros(unifiedDir(group).resolve("cpu.pressure")) : 0,
                unified ? CgroupFiles.readPressureMicros(unifiedDir(group).resolve("memory.pressure")) : 0,
                unified ? CgroupFiles.readPressureMicros(unifiedDir(group).resolve("io.pressure")) : 0);
    }

    @Override
    public boolean freeze(String group, Duration patience) {
        if (!controllers.contains("freezer")) {
            return false;
        }
        // A server booted before the agent used the freezer has no group there yet: one with nobody in it
        // freezes nothing, and the caller's file system freeze still holds its writes.
        CgroupFiles.mkdir(dir("freezer", group));
        Path state = file("freezer", group, "freezer.state");
        CgroupFiles.write(state, "FROZEN");
        if (!CgroupFiles.awaitLine(state, "FROZEN", patience)) {
            thaw(group);
            throw new IllegalStateException("the processes of cgroup " + group + " did not all freeze within "
                    + patience.toMillis() + " ms (" + state + " still reads " + CgroupFiles.read(state) + ")");
        }
        return true;
    }

    @Override
    public void thaw(String group) {
        Path state = file("freezer", group, "freezer.state");
        if (controllers.contains("freezer") && Files.exists(state)) {
            CgroupFiles.write(state, "THAWED");
        }
    }

    @Override
    public boolean limitsSwap() {
        return Files.exists(root.resolve("memory").resolve("memory.memsw.limit_in_bytes"));
    }
}
