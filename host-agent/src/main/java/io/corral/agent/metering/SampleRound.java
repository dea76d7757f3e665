package io.corral.agent.metering;

import java.util.List;

/**
 * One round of sampling, numbered: the host and every server at one instant. Counters (CPU time,
 * OOM kills, throttling, fork refusals, network bytes received and sent) only grow while their epoch stays the same; a new epoch
 * (the host rebooted, or the server's cgroup was made anew) starts them from zero again.
 */
public record SampleRound(long seq, long atMillis, HostSample host, List<ServerSample> servers) {

    public record HostSample(long cpuBusyTicks, long cpuTotalTicks, double load1, long memoryUsedBytes,
                             long memoryAvailableBytes, int servers) {
    }

    public record ServerSample(String id, boolean running, String epoch, long cpuNanos, long memoryBytes,
                               long memoryPeakBytes, long processes, long oomKills, long throttledNanos,
                               long pidsLimitHits, long diskUsedBytes, long cpuStallMicros, long memoryStallMicros,
                               long ioStallMicros, long networkInBytes, long networkOutBytes) {
    }
}
