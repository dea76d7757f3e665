package io.corral.panel.usage;

import java.time.OffsetDateTime;

/** What a server used in one hour (or, summed, over a period): a row of the usage ledger. */
public record UsageHour(OffsetDateTime hour, double cpuCoreHours, double memoryGibHours, double diskGibHours,
                        double uptimeHours, long oomKills, double throttledSeconds, long pidsLimitHits, long memoryPeakBytes) {
}
