package io.corral.panel.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.common.SqlValues;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hibernate.Session;

/**
 * One host's rounds into the database in one transaction: the rounds together as one raw row (the host's figures and its
 * servers' samples), the usage each sample adds to its server's hour in the ledger and each round to the host's, the
 * meters, and the host's cursor. A round is taken only if it is later than every round the host delivered before (one
 * delivered again, or stamped back by a host's clock set back, counts nothing and is not kept), so a round is in the
 * ledger exactly once, whichever panel instance took it and however often it was delivered. A host meters only the servers
 * placed on it: samples naming a server placed on another host are skipped, so no host can bill another's servers.
 */
@ApplicationScoped
public class UsageSteps {
    /** A counter epoch as the database keeps it: printable ASCII, not too long to keep with every sample. */
    private static final Pattern EPOCH = Pattern.compile("[\\x21-\\x7e]{1,64}");
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @Inject
    UsagePartitions partitions;

    /**
     * What a transaction took: how many server samples were new; which servers of other hosts were named, and how often;
     * how many rounds were sampled at a time no raw samples are kept for; how many were stamped no later than a round
     * taken before (not taken); how many samples had a counter epoch no agent writes (skipped).
     */
    public record Recorded(int added, int foreign, Set<Long> foreignServers, int outOfTime, int stale, int malformed) {
        static final Recorded NOTHING = new Recorded(0, 0, Set.of(), 0, 0, 0);
    }

    private record ServerHour(long serverId, Instant hour) {
    }

    /** How many servers the host's rounds may name: those placed on it now, or as many as its last round counted if more. */
    @Transactional
    public long serversOn(long hostId) {
        return ((Number) em.createNativeQuery("""
                select greatest((select count(*) from virtual_server where host_id = ?1 and desired_state <> 'destroyed'),
                    (select servers from host_rounds where host_id = ?1 order by sampled_at desc limit 1))""")
                .setParameter(1, hostId).getSingleResult()).longValue();
    }

    /** Takes the rounds after the host's cursor. */
    @Transactional
    public Recorded record(long hostId, List<SampleRound> rounds) {
        Host host = em.find(Host.class, hostId, LockModeType.PESSIMISTIC_WRITE);
        List<SampleRound> after = rounds.stream().filter(r -> r.seq() > host.sampleCursor).toList();
        if (after.isEmpty()) {
            return Recorded.NOTHING;
        }
        List<SampleRound> fresh = after.stream().filter(r -> partitions.keeps(Instant.ofEpochMilli(r.atMillis()))).toList();
        List<SampleRound> taken = laterThanBefore(fresh, host.meterSampledAt);
        Set<Long> elsewhere = new HashSet<>();
        Map<Long, Long> tenantOf = placedOn(hostId, taken, elsewhere);
        int added = taken.isEmpty() ? 0 : em.unwrap(Session.class).doReturningWork(c -> take(c, host, taken, tenantOf));
        host.sampleCursor = after.get(after.size() - 1).seq();
        int foreign = (int) taken.stream().flatMap(r -> r.servers().stream()).filter(s -> elsewhere.contains(parse(s.id()))).count();
        int malformed = (int) taken.stream().flatMap(r -> r.servers().stream()).filter(s -> !wellFormed(s)).count();
        return new Recorded(added, foreign, elsewhere, after.size() - fresh.size(), fresh.size() - taken.size(), malformed);
    }

    /** The rounds each later than the newest before it, starting from the host's newest round taken (null: none yet). */
    private static List<SampleRound> laterThanBefore(List<SampleRound> rounds, OffsetDateTime newest) {
        List<SampleRound> later = new ArrayList<>();
        long newestMillis = newest == null ? Long.MIN_VALUE : newest.toInstant().toEpochMilli();
        for (SampleRound round : rounds) {
            if (round.atMillis() > newestMillis) {
                later.add(round);
                newestMillis = round.atMillis();
            }
        }
        return later;
    }

    /**
     * The rounds' raw row first; then what they add, summed per hour in memory, and written once with the meters at the end
     * (a minute of rounds from a host of 20 servers is a few statements, not 240).
     */
    private int take(Connection c, Host host, List<SampleRound> rounds, Map<Long, Long> tenantOf) throws SQLException {
        List<List<ServerSample>> placed = rounds.stream().map(r -> placed(r, tenantOf)).toList();
        saveRounds(c, host.id, rounds, placed);
        Map<Long, Meter> meters = meters(c, tenantOf.keySet());
        Set<Long> metered = new HashSet<>();
        HourSums<ServerHour, Meter.Usage> serverHours = new HourSums<>(Meter.Usage::plus);
        HourSums<Instant, HostUse> hostHours = new HourSums<>(HostUse::plus);
        int added = 0;
        for (int i = 0; i < rounds.size(); i++) {
            SampleRound round = rounds.get(i);
            Instant at = Instant.ofEpochMilli(round.atMillis());
            Instant hour = at.truncatedTo(ChronoUnit.HOURS);
            HostUse.of(host, at, round).ifPresent(use -> hostHours.add(hour, use));
            host.meterSampledAt = at.atOffset(ZoneOffset.UTC);
            host.meterCpuBusyTicks = round.host().cpuBusyTicks();
            host.meterCpuTotalTicks = round.host().cpuTotalTicks();
            for (ServerSample s : placed.get(i)) {
                long serverId = parse(s.id());
                Meter previous = meters.get(serverId);
                if (previous != null && !previous.at().isBefore(at)) {
                    continue; // older than what the meter has seen: the server came from a host whose clock is ahead
                }
                serverHours.add(new ServerHour(serverId, hour), Meter.used(previous, at, s));
                meters.put(serverId, Meter.of(at, s));
                metered.add(serverId);
                added++;
            }
        }
        saveServerHours(c, host.id, serverHours, tenantOf);
        saveHostHours(c, host.id, hostHours);
        saveMeters(c, metered.stream().map(id -> Map.entry(id, meters.get(id))).toList());
        return added;
    }

    /** The round's well-formed samples of servers placed on the host, each server once (the first a round names it). */
    private static List<ServerSample> placed(SampleRound round, Map<Long, Long> tenantOf) {
        Set<Long> seen = new HashSet<>();
        return round.servers().stream().filter(s -> tenantOf.containsKey(parse(s.id())) && wellFormed(s) && seen.add(parse(s.id())))
                .toList();
    }

    /**
     * Whether the sample's counter epoch is one an agent writes (the number of its cgroup's inode): one the database cannot
     * keep (none, a NUL) failed the host's every ingestion, and a long one would be kept with every sample.
     */
    private static boolean wellFormed(ServerSample s) {
        return s.epoch() != null && EPOCH.matcher(s.epoch()).matches();
    }

    /** The rounds as one row, stamped with the first one's time. */
    private void saveRounds(Connection c, long hostId, List<SampleRound> rounds, List<List<ServerSample>> placed) throws SQLException {
        List<RawRound> raw = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            raw.add(RawRound.of(rounds.get(i), placed.get(i).stream().map(s -> RawSample.of(parse(s.id()), s)).toList()));
        }
        try (PreparedStatement s = c.prepareStatement(ROUNDS)) {
            bind(s, hostId, Timestamp.from(Instant.ofEpochMilli(rounds.get(0).atMillis())), rounds.get(rounds.size() - 1).host().servers(),
                    json(raw));
            s.executeUpdate();
        }
    }

    private String json(List<RawRound> rounds) {
        try {
            return json.writeValueAsString(rounds);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a round that JSON cannot hold: " + e.getMessage(), e);
        }
    }

    private static void saveServerHours(Connection c, long hostId, HourSums<ServerHour, Meter.Usage> hours, Map<Long, Long> tenantOf)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LEDGER_HOUR)) {
            for (Map.Entry<ServerHour, HourSums.Sum<Meter.Usage>> e : hours.sums().entrySet()) {
                long serverId = e.getKey().serverId();
                Meter.Usage u = e.getValue().use();
                bind(s, serverId, tenantOf.get(serverId), Timestamp.from(e.getKey().hour()), u.cpuSeconds(), u.memoryGibHours(),
                        u.diskGibHours(), u.uptimeHours(), u.oomKills(), u.throttledSeconds(), u.pidsLimitHits(), u.memoryPeakBytes(),
                        e.getValue().samples(), u.cpuStallSeconds(), u.memoryStallSeconds(), u.ioStallSeconds(), u.observedHours(), hostId,
                        u.networkInBytes(), u.networkOutBytes());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void saveHostHours(Connection c, long hostId, HourSums<Instant, HostUse> hours) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(HOST_HOUR)) {
            for (Map.Entry<Instant, HourSums.Sum<HostUse>> e : hours.sums().entrySet()) {
                HostUse u = e.getValue().use();
                bind(s, hostId, Timestamp.from(e.getKey()), u.seconds(), u.cpuBusyCoreSeconds(), u.memoryUsedGibHours(),
                        u.memoryUsedBytes(), u.diskUsedGibHours(), u.serversRunning(), e.getValue().samples());
                s.addBatch();
            }
            s.executeBatch();
        }
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

    private static final String ROUNDS = "insert into host_rounds (host_id, sampled_at, servers, rounds) values (?, ?, ?, ?)";

    private static final String LEDGER_HOUR = """
            insert into usage_hour (server_id, tenant_id, hour, cpu_seconds, memory_gib_hours, disk_gib_hours, uptime_hours,
                oom_kills, throttled_seconds, pids_limit_hits, memory_peak_bytes, samples, cpu_stall_seconds,
                memory_stall_seconds, io_stall_seconds, observed_hours, host_id, network_in_bytes, network_out_bytes)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (server_id, hour) do update set
                cpu_seconds = usage_hour.cpu_seconds + excluded.cpu_seconds,
                memory_gib_hours = usage_hour.memory_gib_hours + excluded.memory_gib_hours,
                disk_gib_hours = usage_hour.disk_gib_hours + excluded.disk_gib_hours,
                uptime_hours = usage_hour.uptime_hours + excluded.uptime_hours,
                oom_kills = usage_hour.oom_kills + excluded.oom_kills,
                throttled_seconds = usage_hour.throttled_seconds + excluded.throttled_seconds,
                pids_limit_hits = usage_hour.pids_limit_hits + excluded.pids_limit_hits,
                memory_peak_bytes = greatest(usage_hour.memory_peak_bytes, excluded.memory_peak_bytes),
                samples = usage_hour.samples + excluded.samples,
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
            // an array, not an IN list: Hibernate planned the list once per length, a twentieth of a panel's CPU at 5,000 hosts
            // (bench/RESULTS.md, "Scale")
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, tenant_id, host_id from virtual_server where id = any(cast(?1 as bigint[]))",
                    Object[].class).setParameter(1, SqlValues.bigintArray(ids)).getResultList();
            for (Object[] r : rows) {
                long id = SqlValues.toLong(r[0]);
                if (r[2] != null && SqlValues.toLong(r[2]) == hostId) {
                    tenantOf.put(id, SqlValues.toLong(r[1]));
                } else {
                    elsewhere.add(id);
                }
            }
        }
        return tenantOf;
    }

    private static final String HOST_HOUR = """
            insert into host_hour (host_id, hour, observed_seconds, cpu_busy_core_seconds, memory_used_gib_hours,
                memory_used_peak_bytes, disk_used_gib_hours, servers_running_max, samples)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (host_id, hour) do update set
                observed_seconds = host_hour.observed_seconds + excluded.observed_seconds,
                cpu_busy_core_seconds = host_hour.cpu_busy_core_seconds + excluded.cpu_busy_core_seconds,
                memory_used_gib_hours = host_hour.memory_used_gib_hours + excluded.memory_used_gib_hours,
                memory_used_peak_bytes = greatest(host_hour.memory_used_peak_bytes, excluded.memory_used_peak_bytes),
                disk_used_gib_hours = host_hour.disk_used_gib_hours + excluded.disk_used_gib_hours,
                servers_running_max = greatest(host_hour.servers_running_max, excluded.servers_running_max),
                samples = host_hour.samples + excluded.samples""";

    private static Long parse(String agentId) {
        try {
            return Long.parseLong(agentId);
        } catch (NumberFormatException e) {
            return null; // a server the agent has that this panel did not make
        }
    }
}
