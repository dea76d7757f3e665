package io.corral.panel.host;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Asks every host's agent for its facts and servers. A host that has not answered for
 * corral.heartbeat.down-after is marked down and its servers "unknown"; when it answers again it is up and the
 * observed states are what it reports. The reconciliation inside reports drift between what a
 * server should be and what it is.
 */
@ApplicationScoped
public class Heartbeat {
    @Inject
    AgentClient agents;
    @Inject
    HeartbeatSteps steps;

    @Scheduled(every = "${corral.heartbeat.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void beat() {
        for (Host host : steps.hosts()) {
            beat(host);
        }
    }

    public void beat(Host host) {
        Optional<Report> report;
        try {
            report = Optional.of(agents.call(host, c -> new Report(c.api().host(c.auth()), c.api().servers(c.auth()))));
        } catch (AgentException e) {
            report = Optional.empty();
        }
        if (report.isPresent()) {
            steps.answered(host.id, report.get().facts(), report.get().servers());
        } else {
            steps.silent(host.id);
        }
    }

    record Report(AgentDtos.HostFacts facts, List<AgentDtos.Server> servers) {
    }
}
