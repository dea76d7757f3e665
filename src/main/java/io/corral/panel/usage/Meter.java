package io.corral.panel.usage;

import io.corral.panel.agent.SampleRound.ServerSample;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a server's sample into what it used since the one before: counters by difference (all of a
 * counter when its epoch is new: the cgroup was made anew and counts from zero), gauges (memory,
 * disk, uptime) over the time since the previous sample, capped, so a gap in sampling (an agent
 * down) is not filled with guesses.
 */
record Meter(Instant at, String epoch, long cpuNanos, long oomKills, long throttledNanos, long pidsLimitHits,
             long cpuStallMicros, long memoryStallMicros, long ioStallMicros, long networkInBytes, long networkOutBytes) {
    /** The longest stretch one sample stands for. */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    private static final double GIB = 1024.0 * 1024 * 1024, NANOS = 1e9, MICROS = 1e6, HOUR_SECONDS = 3600;

    record Usage(double cpuSeconds, double memoryGibHours, double diskGibHours, double uptimeHours, long oomKills,
                 double throttledSeconds, long pidsLimitHits, long memoryPeakBytes, double cpuStallSeconds,
                 double memoryStallSeconds, double ioStallSeconds, double observedHours, long networkInBytes, long networkOutBytes) {
        /** Both together, as the ledger's hour adds them (the memory peak is the higher one). */
        Usage plus(Usage o) {
            return new Usage(cpuSeconds + o.cpuSeconds, memoryGibHours + o.memoryGibHours, diskGibHours + o.diskGibHours,
                    uptimeHours + o.uptimeHours, oomKills + o.oomKills, throttledSeconds + o.throttledSeconds,
                    pidsLimitHits + o.pidsLimitHits, Math.max(memoryPeakBytes, o.memoryPeakBytes), cpuStallSeconds + o.cpuStallSeconds,
                    memoryStallSeconds + o.memoryStallSeconds, ioStallSeconds + o.ioStallSeconds, observedHours + o.observedHours,
                    networkInBytes + o.networkInBytes, networkOutBytes + o.networkOutBytes);
        }
    }

    static Meter of(Instant at, ServerSample s) {
        return new Meter(at, s.epoch(), s.cpuNanos(), s.oomKills(), s.throttledNanos(), s.pidsLimitHits(),
                s.cpuStallMicros(), s.memoryStallMicros(), s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes());
    }

    /** What the sample at `at` adds to the ledger, given the previous meter (null: the first sample ever). */
    static Usage used(Meter previous, Instant at, ServerSample s) {
        boolean sameEpoch = previous != null && previous.epoch.equals(s.epoch());
        double hours = previous == null ? 0 : Math.max(0, Math.min(Duration.between(previous.at, at).toMillis(),
                MAX_INTERVAL.toMillis())) / 1000.0 / HOUR_SECONDS;
        return new Usage(
                grown(sameEpoch, previous == null ? 0 : previous.cpuNanos, s.cpuNanos()) / NANOS,
                s.running() ? s.memoryBytes() / GIB * hours : 0,
                s.diskUsedBytes() / GIB * hours,
                s.running() ? hours : 0,
                grown(sameEpoch, previous == null ? 0 : previous.oomKills, s.oomKills()),
                grown(sameEpoch, previous == null ? 0 : previous.throttledNanos, s.throttledNanos()) / NANOS,
                grown(sameEpoch, previous == null ? 0 : previous.pidsLimitHits, s.pidsLimitHits()),
                s.memoryPeakBytes(),
                grown(sameEpoch, previous == null ? 0 : previous.cpuStallMicros, s.cpuStallMicros()) / MICROS,
                grown(sameEpoch, previous == null ? 0 : previous.memoryStallMicros, s.memoryStallMicros()) / MICROS,
                grown(sameEpoch, previous == null ? 0 : previous.ioStallMicros, s.ioStallMicros()) / MICROS,
                hours,
                grown(sameEpoch, previous == null ? 0 : previous.networkInBytes, s.networkInBytes()),
                grown(sameEpoch, previous == null ? 0 : previous.networkOutBytes, s.networkOutBytes()));
    }

    /** A counter's growth; a counter that went down was reset without a new epoch, and counts from zero. */
    private static long grown(boolean sameEpoch, long before, long now) {
        return sameEpoch && now >= before ? now - before : now;
    }
}
