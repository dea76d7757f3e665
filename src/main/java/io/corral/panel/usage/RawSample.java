package io.corral.panel.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.corral.panel.agent.SampleRound.ServerSample;

/** A server's sample as its round's row keeps it: named as the columns of the usage_sample view (V27). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record RawSample(long serverId, boolean running, String counterEpoch, long cpuNanos, long memoryBytes, long memoryPeakBytes,
                 long processes, long oomKills, long throttledNanos, long pidsLimitHits, long diskUsedBytes, long cpuStallMicros,
                 long memoryStallMicros, long ioStallMicros, long networkInBytes, long networkOutBytes) {
    static RawSample of(long serverId, ServerSample s) {
        return new RawSample(serverId, s.running(), s.epoch(), s.cpuNanos(), s.memoryBytes(), s.memoryPeakBytes(), s.processes(),
                s.oomKills(), s.throttledNanos(), s.pidsLimitHits(), s.diskUsedBytes(), s.cpuStallMicros(), s.memoryStallMicros(),
                s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes());
    }
}
