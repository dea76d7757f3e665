package io.corral.panel.usage;

import static io.corral.panel.common.SqlValues.toLong;

import io.corral.panel.common.SqlValues;
import io.corral.panel.host.AgentDtos.HostSample;
import io.corral.panel.host.AgentDtos.SampleRound;
import io.corral.panel.host.AgentDtos.ServerSample;
import io.corral.panel.host.Host;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's rounds into the database in one transaction: raw samples (a sample already there is
 * skipped and counts nothing), the usage each new sample adds to its server's hour in the ledger,
 * the meters, and the host's cursor. So a round is in the ledger exactly once, whichever panel
 * instance took it and however often it was delivered.
 */
@ApplicationScoped
public class UsageSteps {
    @Inject
    EntityManager em;

    /** Takes the rounds after the host's cursor; returns how many server samples were new. */
    @Transactional
    public int record(long hostId, List<SampleRound> rounds) {
        Host host = em.find(Host.class, hostId, LockModeType.PESSIMISTIC_WRITE);
        List<SampleRound> fresh = rounds.stream().filter(r -> r.seq() > host.sampleCursor).toList();
        if (fresh.isEmpty()) {
            return 0;
        }
        Map<Long, Long> tenantOf = tenants(fresh);
        int added = 0;
        for (SampleRound round : fresh) {
            Instant at = Instant.ofEpochMilli(round.atMillis());
            if (hostSample(hostId, at, round.host())) {
                HostUse.of(host, at, round).ifPresent(use -> addToHostLedger(hostId, at, use));
                host.meterSampledAt = at.atOffset(java.time.ZoneOffset.UTC);
                host.meterCpuBusyTicks = round.host().cpuBusyTicks();
                host.meterCpuTotalTicks = round.host().cpuTotalTicks();
            }
            for (ServerSample s : round.servers()) {
                Long serverId = parse(s.id());
                if (serverId != null && tenantOf.containsKey(serverId) && rawSample(serverId, hostId, at, s)) {
                    Meter previous = meter(serverId);
                    addToLedger(serverId, tenantOf.get(serverId), hostId, at, Meter.used(previous, at, s));
                    saveMeter(serverId, Meter.of(at, s));
                    added++;
                }
            }
        }
        host.sampleCursor = fresh.get(fresh.size() - 1).seq();
        return added;
    }

    /** The tenants of the servers the rounds name, for those this panel knows. */
    private Map<Long, Long> tenants(List<SampleRound> rounds) {
        List<Long> ids = rounds.stream().flatMap(r -> r.servers().stream()).map(s -> parse(s.id()))
                .filter(java.util.Objects::nonNull).distinct().toList();
        Map<Long, Long> tenantOf = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select v.id, v.tenant.id from VirtualServer v where v.id in :ids", Object[].class)
                    .setParameter("ids", ids).getResultList().forEach(r -> tenantOf.put((Long) r[0], (Long) r[1]));
        }
        return tenantOf;
    }

    private boolean rawSample(long serverId, long hostId, Instant at, ServerSample s) {
        return em.createNativeQuery("""
                insert into usage_sample (server_id, host_id, sampled_at, running, counter_epoch, cpu_nanos, memory_bytes,
                    memory_peak_bytes, processes, oom_kills, throttled_nanos, pids_limit_hits, disk_used_bytes,
                    cpu_stall_micros, memory_stall_micros, io_stall_micros)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                on conflict do nothing""")
                .setParameter(1, serverId).setParameter(2, hostId).setParameter(3, Timestamp.from(at)).setParameter(4, s.running())
                .setParameter(5, s.epoch()).setParameter(6, s.cpuNanos()).setParameter(7, s.memoryBytes())
                .setParameter(8, s.memoryPeakBytes()).setParameter(9, s.processes()).setParameter(10, s.oomKills())
                .setParameter(11, s.throttledNanos()).setParameter(12, s.pidsLimitHits()).setParameter(13, s.diskUsedBytes())
                .setParameter(14, s.cpuStallMicros()).setParameter(15, s.memoryStallMicros()).setParameter(16, s.ioStallMicros())
                .executeUpdate() == 1;
    }

    private boolean hostSample(long hostId, Instant at, HostSample h) {
        return em.createNativeQuery("""
                insert into host_sample (host_id, sampled_at, cpu_busy_ticks, cpu_total_ticks, load1, memory_used_bytes,
                    memory_available_bytes, servers)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict do nothing""")
                .setParameter(1, hostId).setParameter(2, Timestamp.from(at)).setParameter(3, h.cpuBusyTicks())
                .setParameter(4, h.cpuTotalTicks()).setParameter(5, h.load1()).setParameter(6, h.memoryUsedBytes())
                .setParameter(7, h.memoryAvailableBytes()).setParameter(8, h.servers()).executeUpdate() == 1;
    }

    private Meter meter(long serverId) {
        List<Object[]> rows = em.createNativeQuery("""
                select sampled_at, counter_epoch, cpu_nanos, oom_kills, throttled_nanos, pids_limit_hits,
                    cpu_stall_micros, memory_stall_micros, io_stall_micros
                from usage_meter where server_id = ?1""", Object[].class).setParameter(1, serverId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = rows.get(0);
        return new Meter(SqlValues.instant(r[0]), (String) r[1], toLong(r[2]), toLong(r[3]), toLong(r[4]), toLong(r[5]), toLong(r[6]), toLong(r[7]), toLong(r[8]));
    }

    private void saveMeter(long serverId, Meter m) {
        em.createNativeQuery("""
                insert into usage_meter (server_id, sampled_at, counter_epoch, cpu_nanos, oom_kills, throttled_nanos, pids_limit_hits,
                    cpu_stall_micros, memory_stall_micros, io_stall_micros)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                on conflict (server_id) do update set sampled_at = excluded.sampled_at, counter_epoch = excluded.counter_epoch,
                    cpu_nanos = excluded.cpu_nanos, oom_kills = excluded.oom_kills, throttled_nanos = excluded.throttled_nanos,
                    pids_limit_hits = excluded.pids_limit_hits, cpu_stall_micros = excluded.cpu_stall_micros,
                    memory_stall_micros = excluded.memory_stall_micros, io_stall_micros = excluded.io_stall_micros
                where usage_meter.sampled_at < excluded.sampled_at""")
                .setParameter(1, serverId).setParameter(2, Timestamp.from(m.at())).setParameter(3, m.epoch())
                .setParameter(4, m.cpuNanos()).setParameter(5, m.oomKills()).setParameter(6, m.throttledNanos())
                .setParameter(7, m.pidsLimitHits()).setParameter(8, m.cpuStallMicros()).setParameter(9, m.memoryStallMicros())
                .setParameter(10, m.ioStallMicros()).executeUpdate();
    }

    private void addToLedger(long serverId, long tenantId, long hostId, Instant at, Meter.Usage u) {
        em.createNativeQuery("""
                insert into usage_hour (server_id, tenant_id, hour, cpu_seconds, memory_gib_hours, disk_gib_hours, uptime_hours,
                    oom_kills, throttled_seconds, pids_limit_hits, memory_peak_bytes, samples, cpu_stall_seconds,
                    memory_stall_seconds, io_stall_seconds, observed_hours, host_id)
                values (?1, ?2, date_trunc('hour', ?3 at time zone 'UTC') at time zone 'UTC', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1,
                    ?12, ?13, ?14, ?15, ?16)
                on conflict (server_id, hour) do update set
                    cpu_seconds = usage_hour.cpu_seconds + excluded.cpu_seconds,
                    memory_gib_hours = usage_hour.memory_gib_hours + excluded.memory_gib_hours,
                    disk_gib_hours = usage_hour.disk_gib_hours + excluded.disk_gib_hours,
                    uptime_hours = usage_hour.uptime_hours + excluded.uptime_hours,
                    oom_kills = usage_hour.oom_kills + excluded.oom_kills,
                    throttled_seconds = usage_hour.throttled_seconds + excluded.throttled_seconds,
                    pids_limit_hits = usage_hour.pids_limit_hits + excluded.pids_limit_hits,
                    memory_peak_bytes = greatest(usage_hour.memory_peak_bytes, excluded.memory_peak_bytes),
                    samples = usage_hour.samples + 1,
                    cpu_stall_seconds = usage_hour.cpu_stall_seconds + excluded.cpu_stall_seconds,
                    memory_stall_seconds = usage_hour.memory_stall_seconds + excluded.memory_stall_seconds,
                    io_stall_seconds = usage_hour.io_stall_seconds + excluded.io_stall_seconds,
                    observed_hours = usage_hour.observed_hours + excluded.observed_hours,
                    host_id = excluded.host_id""")
                .setParameter(1, serverId).setParameter(2, tenantId).setParameter(3, Timestamp.from(at))
                .setParameter(4, u.cpuSeconds()).setParameter(5, u.memoryGibHours()).setParameter(6, u.diskGibHours())
                .setParameter(7, u.uptimeHours()).setParameter(8, u.oomKills()).setParameter(9, u.throttledSeconds())
                .setParameter(10, u.pidsLimitHits()).setParameter(11, u.memoryPeakBytes()).setParameter(12, u.cpuStallSeconds())
                .setParameter(13, u.memoryStallSeconds()).setParameter(14, u.ioStallSeconds()).setParameter(15, u.observedHours())
                .setParameter(16, hostId).executeUpdate();
    }

    private void addToHostLedger(long hostId, Instant at, HostUse u) {
        em.createNativeQuery("""
                insert into host_hour (host_id, hour, observed_seconds, cpu_busy_core_seconds, memory_used_gib_hours,
                    memory_used_peak_bytes, disk_used_gib_hours, servers_running_max, samples)
                values (?1, date_trunc('hour', ?2 at time zone 'UTC') at time zone 'UTC', ?3, ?4, ?5, ?6, ?7, ?8, 1)
                on conflict (host_id, hour) do update set
                    observed_seconds = host_hour.observed_seconds + excluded.observed_seconds,
                    cpu_busy_core_seconds = host_hour.cpu_busy_core_seconds + excluded.cpu_busy_core_seconds,
                    memory_used_gib_hours = host_hour.memory_used_gib_hours + excluded.memory_used_gib_hours,
                    memory_used_peak_bytes = greatest(host_hour.memory_used_peak_bytes, excluded.memory_used_peak_bytes),
                    disk_used_gib_hours = host_hour.disk_used_gib_hours + excluded.disk_used_gib_hours,
                    servers_running_max = greatest(host_hour.servers_running_max, excluded.servers_running_max),
                    samples = host_hour.samples + 1""")
                .setParameter(1, hostId).setParameter(2, Timestamp.from(at)).setParameter(3, u.seconds())
                .setParameter(4, u.cpuBusyCoreSeconds()).setParameter(5, u.memoryUsedGibHours())
                .setParameter(6, u.memoryUsedBytes()).setParameter(7, u.diskUsedGibHours()).setParameter(8, u.serversRunning())
                .executeUpdate();
    }

    private static Long parse(String agentId) {
        try {
            return Long.parseLong(agentId);
        } catch (NumberFormatException e) {
            return null; // a server the agent has that this panel did not make
        }
    }
}
