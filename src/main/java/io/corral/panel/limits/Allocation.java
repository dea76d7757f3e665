package io.corral.panel.limits;

import java.math.BigDecimal;

/**
 * What servers hold together, or what a plan allows in all. Summed from the servers' rows, except every host's at once,
 * which the database keeps as servers change (server/Allocations#byHost); a check of room always sums the rows.
 */
public record Allocation(long servers, long memoryMiB, long swapMiB, BigDecimal cpus, long cpuWeight, long pids, long diskMiB) {
    public static final Allocation NONE = new Allocation(0, 0, 0, BigDecimal.ZERO, 0, 0, 0);

    /** What is left of this when held is taken away; nothing, rather than less than nothing. */
    public Allocation leftAfter(Allocation held) {
        return new Allocation(Math.max(0, servers - held.servers), Math.max(0, memoryMiB - held.memoryMiB),
                Math.max(0, swapMiB - held.swapMiB), cpus.subtract(held.cpus).max(BigDecimal.ZERO),
                Math.max(0, cpuWeight - held.cpuWeight), Math.max(0, pids - held.pids), Math.max(0, diskMiB - held.diskMiB));
    }
}
