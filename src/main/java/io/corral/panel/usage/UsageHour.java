package io.corral.panel.usage;

import java.time.OffsetDateTime;

/**
 * What a server used in one hour (or, summed, over a period): a row of the usage ledger. The stall
 * seconds are how long its tasks waited for CPU, memory or I/O (pressure stall information; 0 where
 * the host's kernel keeps none); observed hours, how much of the time was sampled; network bytes, what it
 * received and sent.
 */
public record UsageHour(OffsetDateTime hour, double cpuCoreHours, double memoryGibHours, double diskGibHours,
                        double uptimeHours, long oomKills, double throttledSeconds, long pidsLimitHits, long memoryPeakBytes,
                        double cpuStallSeconds, double memoryStallSeconds, double ioStallSeconds, double observedHours,
                        long networkInBytes, long networkOutBytes) {
    private static final double GIB = 1024.0 * 1024 * 1024;

    public double networkInGib() {
        return networkInBytes / GIB;
    }

    public double networkOutGib() {
        return networkOutBytes / GIB;
    }
}
