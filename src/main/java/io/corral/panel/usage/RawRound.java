package io.corral.panel.usage;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import java.util.List;

/**
 * A round as the row of the rounds taken with it keeps it (V33): a JSON array of its time, the host's figures and its servers'
 * samples, in the order the host_sample view reads them back.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"atMillis", "cpuBusyTicks", "cpuTotalTicks", "load1", "memoryUsedBytes", "memoryAvailableBytes", "servers", "samples"})
record RawRound(long atMillis, long cpuBusyTicks, long cpuTotalTicks, double load1, long memoryUsedBytes, long memoryAvailableBytes,
                int servers, List<RawSample> samples) {
    static RawRound of(SampleRound round, List<RawSample> samples) {
        HostSample h = round.host();
        return new RawRound(round.atMillis(), h.cpuBusyTicks(), h.cpuTotalTicks(), h.load1(), h.memoryUsedBytes(), h.memoryAvailableBytes(),
                h.servers(), samples);
    }
}
