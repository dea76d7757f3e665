package io.corral.panel.usage;

import java.time.OffsetDateTime;

/**
 * What a server used in one hour (or, summed, over a period): a row of the usage ledger. The stall
 * seconds are how long its tasks waited for CPU, memory or I/O (pressure stall information; 0 where
 * the host's kernel keeps none); observed hours, how much of the time was sampled.
 */
public record UsageHour(OffsetDateTime hour, double cpuCoreHours, double memoryGibHours, double diskGibHours,
                        double uptimeHours, long oomKills, double throttledSeconds, long pidsLimitHits, long memoryPeakBytes,
                        double cpuStallSeconds, double memoryStallSeconds, double ioStallSeconds, double observedHours) {
}
