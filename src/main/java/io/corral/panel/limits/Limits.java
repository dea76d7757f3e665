package io.corral.panel.limits;

import java.math.BigDecimal;

/**
 * A server's resource limits, in the agent's units: the one shape the panel keeps them in, checks them
 * in and sends them to agents in. The panel always asks an agent for all of them, so the defaults here
 * are the only ones a server gets.
 */
public record Limits(long memoryMiB, long swapMiB, BigDecimal cpus, int cpuWeight, int pids, long diskMiB) {
    /** What a server ordered without naming a limit gets. */
    public static final Limits DEFAULTS = new Limits(512, 0, BigDecimal.ONE, 100, 512, 10240);

    /**
     * The bounds of every limit, what a host agent takes (host-agent/README.md, "Limits and their rules"),
     * so that neither a request nor a plan can ever ask an agent for more. Memory and disk are bounded
     * above by the host, so only below here; CPUs as text, for @DecimalMin and @DecimalMax.
     */
    public static final long MIN_MEMORY_MIB = 16, MIN_DISK_MIB = 64, MAX_SWAP_MIB = 1024 * 1024;
    public static final String MIN_CPUS = "0.01", MAX_CPUS = "512";
    /**
     * CPUs are kept to two decimals (the database's numeric(10,2)): more are refused, not rounded, so that the agent is
     * never sent other CPUs than the panel records. The refusal in ValidationMessages (the page's language on a page).
     */
    public static final int CPUS_INTEGER_DIGITS = 8, CPUS_FRACTION_DIGITS = 2;
    public static final String CPUS_FORM = "{corral.cpus}";
    public static final int MIN_CPU_WEIGHT = 1, MAX_CPU_WEIGHT = 10000;
    public static final int MIN_PIDS = 8, MAX_PIDS = 4194304;

    /** These limits with another disk. */
    public Limits withDiskMiB(long disk) {
        return new Limits(memoryMiB, swapMiB, cpus, cpuWeight, pids, disk);
    }

    /** Each limit the larger of this one's and other's. */
    public Limits max(Limits other) {
        return new Limits(Math.max(memoryMiB, other.memoryMiB), Math.max(swapMiB, other.swapMiB), cpus.max(other.cpus),
                Math.max(cpuWeight, other.cpuWeight), Math.max(pids, other.pids), Math.max(diskMiB, other.diskMiB));
    }

    /** How much each limit grew from before to this (negative where it shrank). */
    public Limits minus(Limits before) {
        return new Limits(memoryMiB - before.memoryMiB, swapMiB - before.swapMiB, cpus.subtract(before.cpus),
                cpuWeight - before.cpuWeight, pids - before.pids, diskMiB - before.diskMiB);
    }
}
