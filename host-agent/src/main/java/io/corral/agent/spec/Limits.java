package io.corral.agent.spec;

import io.corral.agent.cgroup.CgroupLimits;
import io.corral.agent.cgroup.IoLimit;
import io.corral.agent.network.Bandwidth;

/**
 * A virtual server's resource limits. CPU is a number of cores (0.5 = half a core) plus a relative
 * weight (1..10000, 100 = normal) used when cores are contended. Bandwidth in megabits per second into
 * and out of the server, disk IO in MiB per second and operations per second, each for reads and for
 * writes alike; 0 is no limit for these four.
 */
public record Limits(long memoryMiB, long swapMiB, double cpus, int cpuWeight, int pids, long diskMiB,
                     long networkInMbit, long networkOutMbit, long diskMiBps, long diskIops) {
    public static final Limits DEFAULTS = new Limits(256, 0, 1.0, 100, 512, 1024, 0, 0, 0, 0);

    /**
     * What the server's cgroup enforces: all but the disk quota, which its filesystem's size is, and the
     * bandwidth, which tc holds. disk: major:minor of the server's mounted disk, which the IO limits are for.
     */
    public CgroupLimits cgroup(String disk) {
        return new CgroupLimits(memoryMiB, swapMiB, cpus, cpuWeight, pids, new IoLimit(disk, diskMiBps, diskIops));
    }

    /** What tc holds on the host's end of the server's veth. */
    public Bandwidth bandwidth() {
        return new Bandwidth(networkInMbit, networkOutMbit);
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
                change.diskMiB() != null ? change.diskMiB() : diskMiB,
                change.networkInMbit() != null ? change.networkInMbit() : networkInMbit,
                change.networkOutMbit() != null ? change.networkOutMbit() : networkOutMbit,
                change.diskMiBps() != null ? change.diskMiBps() : diskMiBps,
                change.diskIops() != null ? change.diskIops() : diskIops);
    }
}
