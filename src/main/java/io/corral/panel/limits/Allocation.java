package io.corral.panel.limits;

import java.math.BigDecimal;

/** What servers hold together (summed from the live rows, never a stored counter), or what a plan allows in all. */
public record Allocation(long servers, long memoryMiB, long swapMiB, BigDecimal cpus, long cpuWeight, long pids, long diskMiB) {
    public static final Allocation NONE = new Allocation(0, 0, 0, BigDecimal.ZERO, 0, 0, 0);

    /** What is left of this when held is taken away; nothing, rather than less than nothing. */
    public Allocation leftAfter(Allocation held) {
        return new Allocation(Math.max(0, servers - held.servers), Math.max(0, memoryMiB - held.memoryMiB),
                Math.max(0, swapMiB - held.swapMiB), cpus.subtract(held.cpus).max(BigDecimal.ZERO),
                Math.max(0, cpuWeight - held.cpuWeight), Math.max(0, pids - held.pids), Math.max(0, diskMiB - held.diskMiB));
    }
}
