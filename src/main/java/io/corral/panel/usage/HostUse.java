package io.corral.panel.usage;

import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.host.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a host used between its previous round and this one: busy CPU from the difference of its
 * tick counters (as a share of all ticks, times its cores), memory in use and its servers' disk over
 * the interval. Nothing for the first round, after a gap longer than {@link Meter#MAX_INTERVAL} or
 * when the counters went back (the host rebooted): no guesses where nothing was seen.
 */
record HostUse(double seconds, double cpuBusyCoreSeconds, double memoryUsedGibHours, long memoryUsedBytes,
               double diskUsedGibHours, int serversRunning) {
    private static final double GIB = 1024.0 * 1024 * 1024, HOUR_SECONDS = 3600;

    /** Both together, as the host's ledger hour adds them (memory in use and servers running: the higher). */
    HostUse plus(HostUse o) {
        return new HostUse(seconds + o.seconds, cpuBusyCoreSeconds + o.cpuBusyCoreSeconds, memoryUsedGibHours + o.memoryUsedGibHours,
                Math.max(memoryUsedBytes, o.memoryUsedBytes), diskUsedGibHours + o.diskUsedGibHours, Math.max(serversRunning, o.serversRunning));
    }

    static Optional<HostUse> of(Host host, Instant at, SampleRound round) {
        if (host.meterSampledAt == null || host.cores == null) {
            return Optional.empty();
        }
        long busy = round.host().cpuBusyTicks() - host.meterCpuBusyTicks;
        long total = round.host().cpuTotalTicks() - host.meterCpuTotalTicks;
        Duration interval = Duration.between(host.meterSampledAt.toInstant(), at);
        if (busy < 0 || total <= 0 || interval.isNegative() || interval.isZero() || interval.compareTo(Meter.MAX_INTERVAL) > 0) {
            return Optional.empty();
        }
        double seconds = interval.toMillis() / 1000.0;
        long disk = round.servers().stream().mapToLong(ServerSample::diskUsedBytes).sum();
        int running = (int) round.servers().stream().filter(ServerSample::running).count();
        long memory = round.host().memoryUsedBytes();
        return Optional.of(new HostUse(seconds, (double) busy / total * host.cores * seconds,
                memory / GIB * seconds / HOUR_SECONDS, memory, disk / GIB * seconds / HOUR_SECONDS, running));
    }
}
