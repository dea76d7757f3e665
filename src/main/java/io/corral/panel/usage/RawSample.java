package io.corral.panel.usage;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.corral.panel.agent.SampleRound.ServerSample;

/**
 * A server's sample as its round keeps it (RawRound): a JSON array of its figures in the order of the usage_sample view's
 * columns (V30), which reads them back by position. Named fields made every round three times the text, and the
 * database's time to take a round 40% longer (bench/RESULTS.md, "Scale").
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"serverId", "running", "counterEpoch", "cpuNanos", "memoryBytes", "memoryPeakBytes", "processes", "oomKills",
        "throttledNanos", "pidsLimitHits", "diskUsedBytes", "cpuStallMicros", "memoryStallMicros", "ioStallMicros", "networkInBytes",
        "networkOutBytes"})
record RawSample(long serverId, boolean running, String counterEpoch, long cpuNanos, long memoryBytes, long memoryPeakBytes,
                 long processes, long oomKills, long throttledNanos, long pidsLimitHits, long diskUsedBytes, long cpuStallMicros,
                 long memoryStallMicros, long ioStallMicros, long networkInBytes, long networkOutBytes) {
    static RawSample of(long serverId, ServerSample s) {
        return new RawSample(serverId, s.running(), s.epoch(), s.cpuNanos(), s.memoryBytes(), s.memoryPeakBytes(), s.processes(),
                s.oomKills(), s.throttledNanos(), s.pidsLimitHits(), s.diskUsedBytes(), s.cpuStallMicros(), s.memoryStallMicros(),
                s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes());
    }
}
