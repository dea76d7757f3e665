package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.usage.UsageSteps;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A minute of a host's rounds taken in one transaction, summed per hour before it is written, puts into the
 * servers' and the host's ledger exactly what the same rounds put there taken one at a time; the rounds are one raw
 * row, readable a round per row through the host_sample view and a sample per row through usage_sample; delivered
 * again, or stamped back by the host's clock, rounds count nothing.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class UsageRoundsTest {
    @Inject
    Fixtures fixtures;
    @Inject
    UsageSteps steps;
    @Inject
    DataSource db;

    @Test
    void roundsTakenTogetherMeterAsRoundsTakenOneAtATime() throws Exception {
        long[] ids = twoHostsWithAServerEach();
        long together = ids[0], oneByOne = ids[1], serverTogether = ids[2], serverOneByOne = ids[3];
        // twelve rounds 10 s apart across the turn of an hour; the server's cgroup is made anew halfway (a new epoch)
        Instant turn = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<SampleRound> rounds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rounds.add(round(i, turn.minusSeconds(55).plusSeconds(10L * i)));
        }

        steps.record(together, withServer(rounds, serverTogether));
        for (SampleRound round : withServer(rounds, serverOneByOne)) {
            steps.record(oneByOne, List.of(round));
        }

        List<String> ledger = serverHours(serverTogether);
        assertEquals(2, ledger.size(), "the hour before the turn and the one after: " + ledger);
        assertEquals(serverHours(serverOneByOne), ledger);
        assertEquals(hostHours(oneByOne), hostHours(together));
        assertEquals(1, Db.number(db, "select count(*) from host_rounds where host_id = " + together), "a row for the rounds taken together");
        assertEquals(12, Db.number(db, "select count(*) from host_rounds where host_id = " + oneByOne), "a row for each round taken alone");
        assertEquals(12, Db.number(db, "select count(*) from host_sample where host_id = " + together), "read a round per row");
        assertEquals(12, Db.number(db, "select count(*) from usage_sample where server_id = " + serverTogether));
        SampleRound lastRound = rounds.get(11);
        HostSample h = lastRound.host();
        assertEquals(List.of(lastRound.atMillis(), h.cpuBusyTicks(), h.cpuTotalTicks(), h.load1(), h.memoryUsedBytes(), h.memoryAvailableBytes(),
                h.servers()).toString(), Db.text(db, "select '[' || concat_ws(', ', (extract(epoch from sampled_at) * 1000)::bigint, cpu_busy_ticks,"
                + " cpu_total_ticks, load1, memory_used_bytes, memory_available_bytes, servers) || ']' from host_sample where host_id = " + together
                + " order by sampled_at desc limit 1"), "the host's figures of a round read back in their columns");
        ServerSample last = lastRound.servers().get(0);
        String lastRow = "from usage_sample where server_id = " + serverTogether + " and sampled_at = (select max(sampled_at) from usage_sample)";
        String expected = List.of(serverTogether, last.running(), last.epoch(), last.cpuNanos(), last.memoryBytes(), last.memoryPeakBytes(),
                last.processes(), last.oomKills(), last.throttledNanos(), last.pidsLimitHits(), last.diskUsedBytes(), last.cpuStallMicros(),
                last.memoryStallMicros(), last.ioStallMicros(), last.networkInBytes(), last.networkOutBytes()).toString();
        assertEquals(expected, columns(lastRow), "every figure read back in its column");

        // rounds written before V33, a row each, read the same: as V30 wrote them (figures by position) and as V27 did (named)
        String day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(turn.plusSeconds(55));
        Db.execute(db, "create table if not exists host_sample_before_v33_" + day + " partition of host_sample_before_v33 for values from ('"
                + turn.truncatedTo(ChronoUnit.DAYS) + "') to ('" + turn.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS) + "')");
        Db.execute(db, "insert into host_sample_before_v33 (host_id, sampled_at, cpu_busy_ticks, cpu_total_ticks, load1, memory_used_bytes,"
                + " memory_available_bytes, servers, server_samples) select host_id, sampled_at + interval '1 millisecond', cpu_busy_ticks,"
                + " cpu_total_ticks, load1, memory_used_bytes, memory_available_bytes, servers, server_samples"
                + " from host_sample where host_id = " + together + " order by sampled_at desc limit 1");
        assertEquals(expected, columns(lastRow), "the round as V30 wrote it");
        Db.execute(db, "update host_sample_before_v33 set server_samples = (select jsonb_agg(jsonb_build_object('server_id', e -> 0, 'running', e -> 1,"
                + " 'counter_epoch', e -> 2, 'cpu_nanos', e -> 3, 'memory_bytes', e -> 4, 'memory_peak_bytes', e -> 5, 'processes', e -> 6,"
                + " 'oom_kills', e -> 7, 'throttled_nanos', e -> 8, 'pids_limit_hits', e -> 9, 'disk_used_bytes', e -> 10,"
                + " 'cpu_stall_micros', e -> 11, 'memory_stall_micros', e -> 12, 'io_stall_micros', e -> 13, 'network_in_bytes', e -> 14,"
                + " 'network_out_bytes', e -> 15)) from jsonb_array_elements(server_samples) e) where host_id = " + together);
        assertEquals("object", Db.text(db, "select jsonb_typeof(server_samples -> 0) from host_sample_before_v33 where host_id = " + together));
        assertEquals(expected, columns(lastRow), "the round as V27 wrote it");
        Db.execute(db, "delete from host_sample_before_v33 where host_id = " + together);

        forgetCursor(together);
        steps.record(together, withServer(rounds, serverTogether));
        assertEquals(ledger, serverHours(serverTogether), "delivered again, the rounds count nothing");
        assertEquals(12, Db.number(db, "select count(*) from host_sample where host_id = " + together), "and are not kept again");

        // the host's clock set back a minute: its next rounds, numbered after the others, are stamped before them
        List<SampleRound> setBack = new ArrayList<>();
        for (int i = 12; i < 15; i++) {
            setBack.add(round(i, turn.plusSeconds(10L * (i - 12))));
        }
        assertEquals(3, steps.record(together, withServer(setBack, serverTogether)).stale(), "counted, to be warned of");
        assertEquals(ledger, serverHours(serverTogether), "rounds stamped before the host's newest count nothing");
        assertEquals(hostHours(oneByOne), hostHours(together));
        assertEquals(12, Db.number(db, "select count(*) from host_sample where host_id = " + together), "and are not kept");

        // a counter epoch the database cannot keep (a NUL) is skipped and counted; the host's ingestion goes on
        SampleRound next = withServer(List.of(round(15, turn.plusSeconds(65))), serverTogether).get(0);
        ServerSample s = next.servers().get(0);
        ServerSample nul = new ServerSample(s.id(), s.running(), "second\u0000cgroup", s.cpuNanos(), s.memoryBytes(), s.memoryPeakBytes(),
                s.processes(), s.oomKills(), s.throttledNanos(), s.pidsLimitHits(), s.diskUsedBytes(), s.cpuStallMicros(), s.memoryStallMicros(),
                s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes());
        assertEquals(1, steps.record(together, List.of(new SampleRound(next.seq(), next.atMillis(), next.host(), List.of(nul)))).malformed());
        assertEquals(ledger, serverHours(serverTogether), "nothing metered of it");
        assertEquals(1, steps.record(together, withServer(List.of(round(16, turn.plusSeconds(75))), serverTogether)).added(),
                "the next round is taken");
    }

    @Transactional
    long[] twoHostsWithAServerEach() {
        fixtures.wipe();
        Plan plan = fixtures.plan(4, 2048, 2, 20480);
        Tenant tenant = fixtures.tenant("metered", plan);
        Host a = fixtures.host("together", 4, 8192, 65536), b = fixtures.host("one-by-one", 4, 8192, 65536);
        VirtualServer onA = fixtures.server(tenant, a, "on-a", VirtualServer.Observed.running);
        VirtualServer onB = fixtures.server(tenant, b, "on-b", VirtualServer.Observed.running);
        return new long[] {a.id, b.id, onA.id, onB.id};
    }

    /** The view's sample columns of the row, from server_id on, as a list's text. */
    String columns(String from) {
        return Db.text(db, "select '[' || concat_ws(', ', server_id, running::text, counter_epoch, cpu_nanos, memory_bytes, memory_peak_bytes,"
                + " processes, oom_kills, throttled_nanos, pids_limit_hits, disk_used_bytes, cpu_stall_micros, memory_stall_micros,"
                + " io_stall_micros, network_in_bytes, network_out_bytes) || ']' " + from);
    }

    @Transactional
    void forgetCursor(long hostId) {
        Host.update("sampleCursor = 0 where id = ?1", hostId);
    }

    /** Round i: the host's ticks and the server's counters grow unevenly, so each round adds something of its own. */
    static SampleRound round(int i, Instant at) {
        String epoch = i < 6 ? "first-cgroup" : "second-cgroup";
        long since = i < 6 ? i : i - 6;
        ServerSample s = new ServerSample("0", i % 5 != 4, epoch, 700_000_000L * since * since, 50_000_000L + 3_000_000L * i,
                90_000_000L + 1_000_000L * (i % 4), 3 + i % 3, since / 3, 20_000_000L * since, since / 2, 400_000_000L + 10_000_000L * i,
                1_000L * since * since, 500L * since, 2_000L * since, 1_500L * since * since, 900L * since);
        HostSample h = new HostSample(1_000L * i * i + 37L * i, 4_000L * i, 0.5 + i / 10.0, 2_000_000_000L + 50_000_000L * (i % 3),
                6_000_000_000L, 1);
        return new SampleRound(i + 1, at.toEpochMilli(), h, List.of(s));
    }

    /** The rounds with their one server sample naming the given server. */
    static List<SampleRound> withServer(List<SampleRound> rounds, long serverId) {
        return rounds.stream().map(r -> {
            ServerSample s = r.servers().get(0);
            return new SampleRound(r.seq(), r.atMillis(), r.host(), List.of(new ServerSample(Long.toString(serverId), s.running(), s.epoch(),
                    s.cpuNanos(), s.memoryBytes(), s.memoryPeakBytes(), s.processes(), s.oomKills(), s.throttledNanos(), s.pidsLimitHits(),
                    s.diskUsedBytes(), s.cpuStallMicros(), s.memoryStallMicros(), s.ioStallMicros(), s.networkInBytes(), s.networkOutBytes())));
        }).toList();
    }

    List<String> serverHours(long serverId) throws SQLException {
        return rows("select hour, round(cpu_seconds::numeric, 9), round(memory_gib_hours::numeric, 12), round(disk_gib_hours::numeric, 12),"
                + " round(uptime_hours::numeric, 12), oom_kills, round(throttled_seconds::numeric, 9), pids_limit_hits, memory_peak_bytes, samples,"
                + " round(cpu_stall_seconds::numeric, 9), round(memory_stall_seconds::numeric, 9), round(io_stall_seconds::numeric, 9),"
                + " round(observed_hours::numeric, 12), network_in_bytes, network_out_bytes from usage_hour where server_id = " + serverId
                + " order by hour");
    }

    List<String> hostHours(long hostId) throws SQLException {
        return rows("select hour, round(observed_seconds::numeric, 9), round(cpu_busy_core_seconds::numeric, 9),"
                + " round(memory_used_gib_hours::numeric, 12), memory_used_peak_bytes, round(disk_used_gib_hours::numeric, 12),"
                + " servers_running_max, samples from host_hour where host_id = " + hostId + " order by hour");
    }

    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); ResultSet r = c.createStatement().executeQuery(sql)) {
            ResultSetMetaData columns = r.getMetaData();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.append(columns.getColumnName(i)).append('=').append(r.getString(i)).append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
