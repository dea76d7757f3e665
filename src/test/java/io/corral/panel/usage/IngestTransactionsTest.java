package io.corral.panel.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import io.corral.panel.agent.SampleRound.ServerSample;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A backlog is asked for and written in transactions of a bounded number of server samples, rounds kept whole and in
 * order.
 */
class IngestTransactionsTest {

    @Test
    void roundsAreSplitWhereATransactionWouldTakeTooManySamples() {
        assertEquals(List.of(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), List.of(11L, 12L)), seqs(rounds(12, 500)));
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), seqs(rounds(3, 3000)));
        // a round bigger than the bound still goes, alone: rounds are never cut
        assertEquals(List.of(List.of(1L), List.of(2L)), seqs(rounds(2, UsageIngest.SAMPLES_PER_TRANSACTION + 1)));
        assertEquals(List.of(List.of(1L, 2L)), seqs(rounds(2, 0)));
    }

    @Test
    void aHostIsAskedForFewerRoundsTheMoreServersItHas() {
        assertEquals(UsageIngest.BATCH, UsageIngest.roundsFor(0));
        assertEquals(UsageIngest.BATCH, UsageIngest.roundsFor(20));
        assertEquals(40, UsageIngest.roundsFor(500), "an hour's backlog of 500 servers comes 40 rounds a request, not 500");
        assertEquals(1, UsageIngest.roundsFor(100_000));
    }

    static List<List<Long>> seqs(List<SampleRound> rounds) {
        return UsageIngest.transactions(rounds).stream().map(part -> part.stream().map(SampleRound::seq).toList()).toList();
    }

    static List<SampleRound> rounds(int count, int servers) {
        ServerSample sample = new ServerSample("1", true, "e", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return LongStream.rangeClosed(1, count).mapToObj(seq -> new SampleRound(seq, seq * 10_000,
                new HostSample(0, 0, 0, 0, 0, servers), Collections.nCopies(servers, sample))).toList();
    }
}
