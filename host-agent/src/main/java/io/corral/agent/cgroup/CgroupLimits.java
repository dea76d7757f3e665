package io.corral.agent.cgroup;

/**
 * What a server's group enforces: memory and swap in MiB, CPU as a number of cores (0.5 = half a core)
 * plus a relative weight (1..10000, 100 = normal), processes, and disk IO (null: none written), as the
 * server's limits give them (checked against their rules before they get here). The backends write them
 * in their files' units.
 */
public record CgroupLimits(long memoryMiB, long swapMiB, double cpus, int cpuWeight, int pids, IoLimit io) {
    public CgroupLimits(long memoryMiB, long swapMiB, double cpus, int cpuWeight, int pids) {
        this(memoryMiB, swapMiB, cpus, cpuWeight, pids, null);
    }
}
