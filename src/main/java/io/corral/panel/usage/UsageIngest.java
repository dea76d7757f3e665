package io.corral.panel.usage;

import io.corral.panel.host.AgentClient;
import io.corral.panel.host.AgentDtos.SampleRound;
import io.corral.panel.host.AgentException;
import io.corral.panel.host.Host;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Takes every host's new sampling rounds from its agent into the usage ledger, a batch at a time
 * until the agent has no more; a host that could not be reached delivers its backlog next time.
 */
@ApplicationScoped
public class UsageIngest {
    private static final Logger LOG = Logger.getLogger(UsageIngest.class);
    static final int BATCH = 500;

    @Inject
    AgentClient agents;
    @Inject
    UsageSteps steps;
    @Inject
    UsagePartitions partitions;

    @Scheduled(every = "${corral.usage.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void ingestAll() {
        for (Host host : Host.<Host>listAll()) {
            try {
                ingest(host);
            } catch (AgentException e) {
                LOG.debugf("no samples from host %s now: %s", host.name, e.getMessage());
            }
        }
    }

    /** Takes the host's rounds until none are left; returns the number of new server samples. */
    public int ingest(Host host) {
        int added = 0;
        long cursor = Host.<Host>findById(host.id).sampleCursor;
        while (true) {
            long after = cursor;
            List<SampleRound> rounds = agents.call(host, c -> c.api().samples(c.auth(), after, BATCH));
            if (rounds.isEmpty()) {
                return added;
            }
            partitions.ensure(day(rounds.get(0)), day(rounds.get(rounds.size() - 1)));
            added += steps.record(host.id, rounds);
            cursor = rounds.get(rounds.size() - 1).seq();
            if (rounds.size() < BATCH) {
                return added;
            }
        }
    }

    private static LocalDate day(SampleRound round) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(round.atMillis()), ZoneOffset.UTC);
    }
}
