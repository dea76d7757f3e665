package io.corral.agent.metering;

import io.corral.agent.cgroup.CgroupStats;
import io.corral.agent.host.HostProbe;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.sys.Sys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Samples the host and every server at a fixed interval into the spool: CPU time, memory now and at
 * peak, processes, OOM kills, CPU throttling, fork refusals at the process limit, stalls waiting for
 * CPU, memory and I/O, and disk use per server (cgroup files and one statfs each); CPU ticks, load, memory and the server count for the
 * host. One thread, which wakes up once per interval.
 */
public final class Sampler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sampler.class.getName());
    private final ServerMeter meter;
    private final SampleSpool spool;
    private final String bootId;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sampler");
        t.setDaemon(true);
        return t;
    });

    public Sampler(ServerMeter meter, SampleSpool spool) {
        this.meter = meter;
        this.spool = spool;
        this.bootId = Sys.readSmallFile("/proc/sys/kernel/random/boot_id").trim();
    }

    public Sampler start(Duration every) {
        timer.scheduleAtFixedRate(this::sampleQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round now; also what the timer runs. */
    public SampleRound sample() {
        List<SampleRound.ServerSample> samples = new ArrayList<>();
        for (ServerMeter.Metered m : meter.meterAll()) {
            ServerStats s = m.stats();
            CgroupStats c = s.cgroup();
            samples.add(new SampleRound.ServerSample(s.id(), s.state() == ServerState.running, bootId + "/" + m.counterEpoch(),
                    c.cpuNanos(), c.memoryBytes(), c.memoryPeakBytes(), c.processes(), c.oomKills(), c.throttledNanos(),
                    c.pidsLimitHits(), s.diskUsedBytes(), c.cpuStallMicros(), c.memoryStallMicros(), c.ioStallMicros(),
                    s.networkInBytes(), s.networkOutBytes()));
        }
        return spool.append(System.currentTimeMillis(), host(samples.size()), samples);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warning("sampling failed: " + e.getMessage());
        }
    }

    private static SampleRound.HostSample host(int servers) {
        // first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
        String[] cpu = Sys.readSmallFile("/proc/stat").lines().findFirst().orElse("cpu").trim().split("\\s+");
        long total = 0, idle = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            long ticks = Long.parseLong(cpu[i]);
            total += ticks;
            if (i == 4 || i == 5) {
                idle += ticks;
            }
        }
        double load1 = Double.parseDouble(Sys.readSmallFile("/proc/loadavg").split(" ")[0]);
        long totalKiB = HostProbe.meminfoKiB("MemTotal:"), availableKiB = HostProbe.meminfoKiB("MemAvailable:");
        return new SampleRound.HostSample(total - idle, total, load1, (totalKiB - availableKiB) * 1024, availableKiB * 1024, servers);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
