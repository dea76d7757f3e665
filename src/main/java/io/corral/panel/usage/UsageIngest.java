package io.corral.panel.usage;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.SampleRound;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostRounds;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Takes every host's new sampling rounds from its agent into the usage ledger, a batch at a time
 * until the agent has no more; a host that could not be reached delivers its backlog next time.
 */
@ApplicationScoped
public class UsageIngest {
    private static final Logger LOG = Logger.getLogger(UsageIngest.class);
    /** Rounds asked for at once, at most. */
    static final int BATCH = 500;
    /**
     * Server samples written in one transaction, at most: a host with many servers back after a long
     * outage must not make a transaction that outlives its timeout, rolls back and is tried again forever.
     */
    static final int SAMPLES_PER_TRANSACTION = 5000;
    /** Samples a host delivered for servers placed on another host, skipped. */
    public static final String FOREIGN_SAMPLES = "corral.usage.foreign.samples";

    @Inject
    AgentClient agents;
    @Inject
    UsageSteps steps;
    @Inject
    UsagePartitions partitions;
    @Inject
    MeterRegistry metrics;
    @Inject
    HostRounds rounds;
    @Inject
    UsageConfig config;

    /** Every host this panel claims for this interval (see {@link HostRounds}: another panel on the database takes the rest). */
    @Scheduled(every = "${corral.usage.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void ingestAll() {
        rounds.run(HostRounds.Round.usage, config.every(), host -> {
            try {
                ingest(host);
            } catch (AgentException e) {
                LOG.debugf("no samples from host %s now: %s", host.name, e.getMessage());
            }
        });
    }

    /**
     * Takes the host's rounds until none are left; returns the number of new server samples. Samples
     * naming servers placed on other hosts, and rounds sampled at a time no raw samples are kept for, are
     * skipped, counted and logged once for the whole backlog (also when the agent stops answering halfway).
     */
    public int ingest(Host host) {
        List<UsageSteps.Recorded> taken = new ArrayList<>();
        try {
            take(host, taken);
        } finally {
            report(host, taken);
        }
        return taken.stream().mapToInt(UsageSteps.Recorded::added).sum();
    }

    /**
     * The first request asks for as many rounds as the host's servers (placed on it, or counted in its last round) fill a
     * few transactions with: a host of 500 servers back after an hour away would otherwise answer 500 rounds at once, 50 MB
     * of JSON held in the panel.
     */
    private void take(Host host, List<UsageSteps.Recorded> taken) {
        int limit = roundsFor(steps.serversOn(host.id));
        long cursor = Host.<Host>findById(host.id).sampleCursor;
        while (true) {
            long after = cursor;
            int asked = limit;
            List<SampleRound> rounds = agents.samples(host.agent(), after, asked);
            if (rounds.isEmpty()) {
                return;
            }
            List<LocalDate> days = rounds.stream().map(UsageIngest::at).filter(partitions::keeps)
                    .map(at -> LocalDate.ofInstant(at, ZoneOffset.UTC)).toList();
            if (!days.isEmpty()) {
                partitions.ensure(Collections.min(days), Collections.max(days));
            }
            for (List<SampleRound> part : transactions(rounds)) {
                taken.add(steps.record(host.id, part));
            }
            cursor = rounds.get(rounds.size() - 1).seq();
            if (rounds.size() < asked || cursor <= after) { // an agent answering rounds it was not asked for would be asked forever
                return;
            }
            limit = roundsFor(rounds.get(rounds.size() - 1).servers().size());
        }
    }

    /** As many rounds as fit in a few transactions, for a host of this many servers. */
    static int roundsFor(long servers) {
        return (int) Math.max(1, Math.min(BATCH, 4 * SAMPLES_PER_TRANSACTION / Math.max(1, servers)));
    }

    private void report(Host host, List<UsageSteps.Recorded> taken) {
        int outOfTime = taken.stream().mapToInt(UsageSteps.Recorded::outOfTime).sum();
        if (outOfTime > 0) {
            LOG.warnf("host %s delivered %d rounds stamped older than corral.usage.raw-retention or more than a day ahead: skipped,"
                    + " nothing metered for them; set the host's clock right (e.g. enable NTP there)", host.name, outOfTime);
        }
        int stale = taken.stream().mapToInt(UsageSteps.Recorded::stale).sum();
        if (stale > 0) {
            LOG.warnf("host %s delivered %d rounds stamped no later than a round it delivered before: skipped, nothing metered"
                    + " for them; set the host's clock right (e.g. enable NTP there)", host.name, stale);
        }
        int malformed = taken.stream().mapToInt(UsageSteps.Recorded::malformed).sum();
        if (malformed > 0) {
            LOG.warnf("host %s delivered %d server samples with a counter epoch no agent writes (none, or not 1-64 printable ASCII"
                    + " characters): skipped, nothing metered for them; check that the host runs a Corral agent of this release and"
                    + " that nothing else answers at its address", host.name, malformed);
        }
        int foreign = taken.stream().mapToInt(UsageSteps.Recorded::foreign).sum();
        if (foreign > 0) {
            Set<Long> servers = new TreeSet<>();
            taken.forEach(r -> servers.addAll(r.foreignServers()));
            metrics.counter(FOREIGN_SAMPLES, "host", host.name).increment(foreign);
            LOG.warnf("host %s delivered %d samples naming servers placed on other hosts (%s): skipped, nothing metered",
                    host.name, foreign, servers);
        }
    }

    /** Consecutive rounds, split where a transaction would take more than SAMPLES_PER_TRANSACTION samples. */
    static List<List<SampleRound>> transactions(List<SampleRound> rounds) {
        List<List<SampleRound>> parts = new ArrayList<>();
        List<SampleRound> part = new ArrayList<>();
        int samples = 0;
        for (SampleRound round : rounds) {
            if (!part.isEmpty() && samples + round.servers().size() > SAMPLES_PER_TRANSACTION) {
                parts.add(part);
                part = new ArrayList<>();
                samples = 0;
            }
            part.add(round);
            samples += round.servers().size();
        }
        parts.add(part);
        return parts;
    }

    private static Instant at(SampleRound round) {
        return Instant.ofEpochMilli(round.atMillis());
    }
}
