package io.corral.panel.consolidation;

import java.time.OffsetDateTime;

/** One hour of a host's chart: average CPU cores busy, memory and servers' disk in use (GiB), servers running at most. */
public record HostSeriesPoint(OffsetDateTime hour, double cpuCores, double memoryGiB, double diskGiB, int serversRunning) {
}
