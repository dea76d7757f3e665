package io.corral.panel.server;

import io.corral.panel.plan.Plan;
import java.math.BigDecimal;

/** A server's resource limits, in the agent's units. */
public record Limits(long memoryMiB, long swapMiB, BigDecimal cpus, int cpuWeight, int pids, long diskMiB) {
    public static final Limits DEFAULTS = new Limits(512, 0, BigDecimal.ONE, 100, 512, 10240);

    public Limits with(LimitsRequest r) {
        return new Limits(
                r.memoryMiB() != null ? r.memoryMiB() : memoryMiB,
                r.swapMiB() != null ? r.swapMiB() : swapMiB,
                r.cpus() != null ? r.cpus() : cpus,
                r.cpuWeight() != null ? r.cpuWeight() : cpuWeight,
                r.pids() != null ? r.pids() : pids,
                r.diskMiB() != null ? r.diskMiB() : diskMiB);
    }

    /** How much each limit grew from before to this (negative where it shrank). */
    public Limits minus(Limits before) {
        return new Limits(memoryMiB - before.memoryMiB, swapMiB - before.swapMiB, cpus.subtract(before.cpus),
                cpuWeight - before.cpuWeight, pids - before.pids, diskMiB - before.diskMiB);
    }

    /** The most one server of the plan may have. */
    public static Limits perServerOf(Plan p) {
        return new Limits(p.serverMaxMemoryMib, p.serverMaxSwapMib, p.serverMaxCpus, p.serverMaxCpuWeight, p.serverMaxPids,
                p.serverMaxDiskMib);
    }

    public static Limits of(VirtualServer v) {
        return new Limits(v.memoryMib, v.swapMib, v.cpus, v.cpuWeight, v.pids, v.diskMib);
    }

    public void applyTo(VirtualServer v) {
        v.memoryMib = memoryMiB;
        v.swapMib = swapMiB;
        v.cpus = cpus;
        v.cpuWeight = cpuWeight;
        v.pids = pids;
        v.diskMib = diskMiB;
    }
}
