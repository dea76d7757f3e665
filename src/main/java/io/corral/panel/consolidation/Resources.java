package io.corral.panel.consolidation;

import io.corral.panel.host.Host;

/** CPU cores, memory and disk in the units admins plan in. */
public record Resources(double cpus, double memoryGiB, double diskGiB) {
    static final Resources NONE = new Resources(0, 0, 0);
    private static final double MIB_PER_GIB = 1024;

    /** What the host has, as its agent last reported. */
    public static Resources capacityOf(Host h) {
        return new Resources(h.cores == null ? 0 : h.cores, gib(h.memoryMib), gib(h.diskMib));
    }

    public static double gib(Long mib) {
        return mib == null ? 0 : mib / MIB_PER_GIB;
    }

    Resources plus(Resources o) {
        return new Resources(cpus + o.cpus, memoryGiB + o.memoryGiB, diskGiB + o.diskGiB);
    }

    Resources times(double factor) {
        return new Resources(cpus * factor, memoryGiB * factor, diskGiB * factor);
    }

    /** Whether these resources hold the given need in every dimension. */
    boolean holds(Resources need) {
        return cpus >= need.cpus && memoryGiB >= need.memoryGiB && diskGiB >= need.diskGiB;
    }
}
