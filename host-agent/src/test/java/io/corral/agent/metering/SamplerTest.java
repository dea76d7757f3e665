package io.corral.agent.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Samples of a real server: counters that grow with its work, kept in order across a restart of the agent. */
class SamplerTest {
    static final String ID = "metered";

    @BeforeAll
    static void server() {
        TestHost.running(ID);
    }

    @AfterAll
    static void destroy() {
        TestHost.destroyQuietly(ID);
    }

    @Test
    void roundsAreNumberedKeptAndCountTheServersWork() throws Exception {
        Sampler sampler = new Sampler(TestHost.agent().meter(), TestHost.agent().samples());
        SampleRound first = sampler.sample();
        TestHost.sh(ID, "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"); // some CPU time inside
        SampleRound second = sampler.sample();
        assertEquals(first.seq() + 1, second.seq());

        SampleRound.ServerSample before = of(first), after = of(second);
        assertTrue(after.running());
        assertEquals(before.epoch(), after.epoch(), "same cgroup, same counters");
        assertTrue(after.cpuNanos() - before.cpuNanos() > 10_000_000, "the loop's CPU time is counted: " + (after.cpuNanos() - before.cpuNanos()));
        assertTrue(after.memoryBytes() > 0 && after.diskUsedBytes() > 0 && after.processes() >= 1);
        assertTrue(second.host().cpuTotalTicks() > 0 && second.host().servers() >= 1);

        // a new spool on the same directory (as after an agent restart) goes on from the last number
        SampleSpool reopened = new SampleSpool(TestHost.agent().state().samples(), Agent.SAMPLE_RETENTION);
        assertEquals(second.seq(), reopened.lastSeq());
        List<SampleRound> backlog = reopened.after(first.seq() - 1, 10);
        assertEquals(List.of(first.seq(), second.seq()), backlog.stream().map(SampleRound::seq).toList());
        assertEquals(List.of(second.seq()), reopened.after(first.seq(), 10).stream().map(SampleRound::seq).toList(),
                "reading after a number leaves out what the reader has");
    }

    @Test
    void aCutShortLastLineIsIgnoredAfterACrash() throws Exception {
        Path dir = Files.createTempDirectory("corral-spool");
        SampleSpool spool = new SampleSpool(dir, Duration.ofDays(1));
        SampleRound kept = spool.append(System.currentTimeMillis(), new SampleRound.HostSample(1, 2, 0.1, 3, 4, 0), List.of());
        try (var files = Files.list(dir)) {
            Files.writeString(files.findFirst().orElseThrow(), "{\"seq\":2,\"atMil", java.nio.file.StandardOpenOption.APPEND);
        }
        SampleSpool reopened = new SampleSpool(dir, Duration.ofDays(1));
        assertEquals(kept.seq(), reopened.lastSeq());
        assertEquals(List.of(kept.seq()), reopened.after(0, 10).stream().map(SampleRound::seq).toList());
    }

    static SampleRound.ServerSample of(SampleRound round) {
        return round.servers().stream().filter(s -> s.id().equals(ID)).findFirst().orElseThrow();
    }
}
