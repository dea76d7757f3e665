package io.corral.agent.cgroup;

/** Converts Corral's limits into the units of cgroup control files, for both versions. */
final class CgroupUnits {
    static final long CPU_PERIOD_US = 100_000;

    private CgroupUnits() {
    }

    static long bytes(long mib) {
        return mib * 1024 * 1024;
    }

    static long cpuQuotaMicros(double cpus) {
        return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
    }

    /** v2 cpu.weight (1..10000, default 100) as v1 cpu.shares (2..262144, default 1024). */
    static long cpuShares(int weight) {
        return Math.max(2, Math.min(262_144, weight * 1024L / 100));
    }
}
