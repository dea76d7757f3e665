package io.corral.agent.spec;

import io.corral.agent.cgroup.CgroupLimits;

/**
 * A virtual server's resource limits. CPU is a number of cores (0.5 = half a core) plus a relative
 * weight (1..10000, 100 = normal) used when cores are contended.
 */
public record Limits(long memoryMiB, long swapMiB, double cpus, int cpuWeight, int pids, long diskMiB) {
    public static final Limits DEFAULTS = new Limits(256, 0, 1.0, 100, 512, 1024);

    /** What the server's cgroup enforces: all but the disk quota, which its filesystem's size is. */
    public CgroupLimits cgroup() {
        return new CgroupLimits(memoryMiB, swapMiB, cpus, cpuWeight, pids);
    }

    /** These limits with the fields the change names replaced. */
    public Limits with(LimitsChange change) {
        if (change == null) {
            return this;
        }
        return new Limits(
                change.memoryMiB() != null ? change.memoryMiB() : memoryMiB,
                change.swapMiB() != null ? change.swapMiB() : swapMiB,
                change.cpus() != null ? change.cpus() : cpus,
                change.cpuWeight() != null ? change.cpuWeight() : cpuWeight,
                change.pids() != null ? change.pids() : pids,
                change.diskMiB() != null ? change.diskMiB() : diskMiB);
    }
}
