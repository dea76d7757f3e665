package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One sampling round of a host's agent (see host-agent/README.md, metering): the host's counters and each server's. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SampleRound(long seq, long atMillis, HostSample host, List<ServerSample> servers) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostSample(long cpuBusyTicks, long cpuTotalTicks, double load1, long memoryUsedBytes, long memoryAvailableBytes,
                             int servers) {
    }

    /** networkInBytes, networkOutBytes: what the server received and sent since its boot (as cpuNanos, per epoch); 0 without network. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServerSample(String id, boolean running, String epoch, long cpuNanos, long memoryBytes, long memoryPeakBytes,
                               long processes, long oomKills, long throttledNanos, long pidsLimitHits, long diskUsedBytes,
                               long cpuStallMicros, long memoryStallMicros, long ioStallMicros, long networkInBytes,
                               long networkOutBytes) {
    }
}
