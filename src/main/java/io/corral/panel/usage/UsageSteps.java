package io.corral.panel.usage;

import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.host.Host;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/**
 * One host's rounds into the database in one transaction: raw samples (a sample already there is
 * skipped and counts nothing), the usage each new sample adds to its server's hour in the ledger,
 * the meters, and the host's cursor. So a round is in the ledger exactly once, whichever panel
 * instance took it and however often it was delivered. A host meters only the servers placed on it:
 * samples naming a server placed on another host are skipped, so no host can bill another's servers.
 */
@ApplicationScoped
public class UsageSteps {
    @Inject
    EntityManager em;

    /** What a transaction took: how many server samples were new; which servers of other hosts were named, and how often. */
    public record Recorded(int added, int foreign, Set<Long> foreignServers) {
        static final Recorded NOTHING = new Recorded(0, 0, Set.of());
    }

    /** Takes the rounds after the host's cursor. */
    @Transactional
    public Recorded record(long hostId, List<SampleRound> rounds) {
        Host host = em.find(Host.class, hostId, LockModeType.PESSIMISTIC_WRITE);
        List<SampleRound> fresh = rounds.stream().filter(r -> r.seq() > host.sampleCursor).toList();
        if (fresh.isEmpty()) {
            return Recorded.NOTHING;
        }
        Set<Long> elsewhere = new HashSet<>();
        Map<Long, Long> tenantOf = placedOn(hostId, fresh, elsewhere);
        for (SampleRound round : fresh) {
            Instant at = Instant.ofEpochMilli(round.atMillis());
            if (hostSample(hostId, at, round.host())) {
                HostUse.of(host, at, round).ifPresent(use -> addToHostLedger(hostId, at, use));
                host.meterSampledAt = at.atOffset(java.time.ZoneOffset.UTC);
                host.meterCpuBusyTicks = round.host().cpuBusyTicks();
                host.meterCpuTotalTicks = round.host().cpuTotalTicks();
            }
        }
        int added = em.unwrap(Session.class).doReturningWork(c -> servers(c, hostId, fresh, tenantOf));
        host.sampleCursor = fresh.get(fresh.size() - 1).seq();
        int foreign = (int) fresh.stream().flatMap(r -> r.servers().stream()).filter(s -> elsewhere.contains(parse(s.id()))).count();
        return new Recorded(added, foreign, elsewhere);
    }

    /**
     * The servers' samples, in statement batches (a round of 500 servers is a few round trips, not
     * 2,000): the raw samples first, whose update counts say which were new; then, for those, the
     * ledger from the meters, kept in memory across the rounds and written once at the end.
     */
    private int servers(Connection c, long hostId, List<SampleRound> rounds, Map<Long, Long> tenantOf) throws SQLException {
        Map<Long, Meter> meters = meters(c, tenantOf.keySet());
        Set<Long> metered = new HashSet<>();
        int added = 0;
        try (PreparedStatement raw = c.prepareStatement(RAW_SAMPLE); PreparedStatement ledger = c.prepareStatement(LEDGER_HOUR)) {
            for (SampleRound round : rounds) {
                Instant at = Instant.ofEpochMilli(round.atMillis());
                Timestamp when = Timestamp.from(at);
                List<ServerSample> known = round.servers().stream().filter(s -> tenantOf.containsKey(parse(s.id()))).toList();
                for (ServerSample s : known) {
                    bind(raw, parse(s.id()), hostId, when, s.running(), s.epoch(), s.cpuNanos(), s.memoryBytes(), s.memoryPeakBytes(),
                            s.processes(), s.oomKills(), s.throttledNanos(), s.pidsLimitHits(), s.diskUsedBytes(), s.cpuStallMicros(),
                            s.memoryStallMicros(), s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes());
                    raw.addBatch();
                }
                int[] inserted = raw.executeBatch();
                for (int i = 0; i < known.size(); i++) {
                    if (inserted[i] != 1) {
                        continue; // delivered before: counted then
                    }
                    ServerSample s = known.get(i);
                    long serverId = parse(s.id());
                    Meter previous = meters.get(serverId);
                    if (previous != null && !previous.at().isBefore(at)) {
                        continue; // older than what the meter has seen: a late duplicate of a pruned raw sample
                    }
                    Meter.Usage u = Meter.used(previous, at, s);
                    bind(ledger, serverId, tenantOf.get(serverId), when, u.cpuSeconds(), u.memoryGibHours(), u.diskGibHours(),
                            u.uptimeHours(), u.oomKills(), u.throttledSeconds(), u.pidsLimitHits(), u.memoryPeakBytes(),
                            u.cpuStallSeconds(), u.memoryStallSeconds(), u.ioStallSeconds(), u.observedHours(), hostId,
                            u.networkInBytes(), u.networkOutBytes());
                    ledger.addBatch();
                    meters.put(serverId, Meter.of(at, s));
                    metered.add(serverId);
                    added++;
                }
            }
            ledger.executeBatch();
        }
        saveMeters(c, metered.stream().map(id -> Map.entry(id, meters.get(id))).toList());
        return added;
    }

    /** The last counters seen of these servers. */
    private static Map<Long, Meter> meters(Connection c, Set<Long> serverIds) throws SQLException {
        Map<Long, Meter> meters = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select server_id, sampled_at, counter_epoch, cpu_nanos, oom_kills, throttled_nanos, pids_limit_hits,
                    cpu_stall_micros, memory_stall_micros, io_stall_micros, network_in_bytes, network_out_bytes
                from usage_meter where server_id = any(?)""")) {
            s.setArray(1, c.createArrayOf("bigint", serverIds.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    meters.put(r.getLong(1), new Meter(r.getTimestamp(2).toInstant(), r.getString(3), r.getLong(4), r.getLong(5),
                            r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11), r.getLong(12)));
                }
            }
        }
        return meters;
    }

    private static void saveMeters(Connection c, List<Map.Entry<Long, Meter>> meters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into usage_meter (server_id, sampled_at, counter_epoch, cpu_nanos, oom_kills, throttled_nanos, pids_limit_hits,
                    cpu_stall_micros, memory_stall_micros, io_stall_micros, network_in_bytes, network_out_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (server_id) do update set sampled_at = excluded.sampled_at, counter_epoch = excluded.counter_epoch,
                    cpu_nanos = excluded.cpu_nanos, oom_kills = excluded.oom_kills, throttled_nanos = excluded.throttled_nanos,
                    pids_limit_hits = excluded.pids_limit_hits, cpu_stall_micros = excluded.cpu_stall_micros,
                    memory_stall_micros = excluded.memory_stall_micros, io_stall_micros = excluded.io_stall_micros,
                    network_in_bytes = excluded.network_in_bytes, network_out_bytes = excluded.network_out_bytes
                where usage_meter.sampled_at < excluded.sampled_at""")) {
            for (Map.Entry<Long, Meter> e : meters) {
                Meter m = e.getValue();
                bind(s, e.getKey(), Timestamp.from(m.at()), m.epoch(), m.cpuNanos(), m.oomKills(), m.throttledNanos(),
                        m.pidsLimitHits(), m.cpuStallMicros(), m.memoryStallMicros(), m.ioStallMicros(), m.networkInBytes(), m.networkOutBytes());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
    }

    private static final String RAW_SAMPLE = """
            insert into usage_sample (server_id, host_id, sampled_at, running, counter_epoch, cpu_nanos, memory_bytes,
                memory_peak_bytes, processes, oom_kills, throttled_nanos, pids_limit_hits, disk_used_bytes,
                cpu_stall_micros, memory_stall_micros, io_stall_micros, network_in_bytes, network_out_bytes)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    private static final String LEDGER_HOUR = """
            insert into usage_hour (server_id, tenant_id, hour, cpu_seconds, memory_gib_hours, disk_gib_hours, uptime_hours,
                oom_kills, throttled_seconds, pids_limit_hits, memory_peak_bytes, samples, cpu_stall_seconds,
                memory_stall_seconds, io_stall_seconds, observed_hours, host_id, network_in_bytes, network_out_bytes)
            values (?, ?, date_trunc('hour', ?::timestamptz at time zone 'UTC') at time zone 'UTC', ?, ?, ?, ?, ?, ?, ?, ?, 1,
                ?, ?, ?, ?, ?, ?, ?)
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
                host_id = excluded.host_id,
                network_in_bytes = usage_hour.network_in_bytes + excluded.network_in_bytes,
                network_out_bytes = usage_hour.network_out_bytes + excluded.network_out_bytes""";

    /**
     * The tenants of the servers the rounds name that are placed on this host (placement is the truth:
     * a server just moved belongs to the host it moved to); those placed elsewhere go into elsewhere.
     */
    private Map<Long, Long> placedOn(long hostId, List<SampleRound> rounds, Set<Long> elsewhere) {
        List<Long> ids = rounds.stream().flatMap(r -> r.servers().stream()).map(s -> parse(s.id()))
                .filter(java.util.Objects::nonNull).distinct().toList();
        Map<Long, Long> tenantOf = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select v.id, v.tenant.id, v.host.id from VirtualServer v where v.id in :ids", Object[].class)
                    .setParameter("ids", ids).getResultList().forEach(r -> {
                        if (Long.valueOf(hostId).equals(r[2])) {
                            tenantOf.put((Long) r[0], (Long) r[1]);
                        } else {
                            elsewhere.add((Long) r[0]);
                        }
                    });
        }
        return tenantOf;
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
