package io.corral.panel.heartbeat;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.HostFacts;
import io.corral.panel.agent.ServerState;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostRounds;
import io.corral.panel.host.StrayCopies;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Asks every host's agent for its servers, and for its facts once a minute. A host that has not answered for
 * corral.heartbeat.down-after is marked down and its servers "unknown"; when it answers again it is up and the
 * observed states are what it reports; why it did not answer (unreachable, or a certificate other
 * than the pinned one) is kept with the host. The reconciliation inside reports drift between what a
 * server should be and what it is, and sends the panel's limits again to a server held to others ({@link LimitsRepair});
 * the last operation each host had moves this panel's next ids past it ({@link OperationNumbers}).
 */
@ApplicationScoped
public class Heartbeat {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class);
    @Inject
    AgentClient agents;
    @Inject
    HeartbeatSteps steps;
    @Inject
    UnchangedBeats unchanged;
    @Inject
    HostRounds rounds;
    @Inject
    StrayCopies strays;
    @Inject
    HeartbeatConfig config;
    @Inject
    LimitsRepair limits;
    @Inject
    OperationNumbers numbers;

    /** Every host this panel claims for this interval (see {@link HostRounds}: another panel on the database beats the rest). */
    @Scheduled(every = "${corral.heartbeat.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void beat() {
        rounds.run(HostRounds.Round.heartbeat, config.every(), this::beatInRound);
    }

    /** The scheduled heartbeat of one host: its servers, and its facts when due. */
    public void beatInRound(Host host) {
        beat(host, factsDue(host));
    }

    /** A heartbeat with the host's facts. */
    public void beat(Host host) {
        beat(host, true);
    }

    /** withFacts: whether to ask for the host's facts too (without, the host's stay as they are). */
    private void beat(Host host, boolean withFacts) {
        HostFacts facts;
        List<ServerState> servers;
        OffsetDateTime asked = OffsetDateTime.now();
        try {
            if (host.tlsFingerprint == null) { // registered before agents spoke TLS
                host.tlsFingerprint = steps.pinPresented(host.id, agents.presentedFingerprint(host.agentUrl));
            }
            facts = withFacts ? agents.host(host.agent()) : null;
            servers = agents.servers(host.agent());
        } catch (AgentException e) {
            silent(host, e.getMessage());
            return;
        } catch (IOException e) {
            silent(host, "host " + host.name + " (" + host.agentUrl + ") cannot be reached: " + e.getMessage());
            return;
        }
        Map<String, ServerState> byId = byId(servers);
        HeartbeatSteps.Answered answered = (facts == null ? unchanged.heard(host.id, byId) : Optional.<List<Long>>empty())
                .map(strayCopies -> new HeartbeatSteps.Answered(strayCopies, List.of()))
                .orElseGet(() -> steps.answered(host.id, facts, byId));
        removeStrays(host, byId.keySet(), answered.strayCopies());
        // before a repair is numbered
        numbers.hostHad(host.name, servers.stream().map(ServerState::limitsOperation).filter(Objects::nonNull).toList());
        if (!answered.limitsDiffer().isEmpty()) {
            limits.repair(host.id, answered.limitsDiffer(), byId, asked);
        }
    }

    /** The reported servers by id; a server reported twice (only an agent gone wrong does) counts as first reported. */
    private static Map<String, ServerState> byId(List<ServerState> reported) {
        return reported.stream().collect(Collectors.toMap(ServerState::id, Function.identity(), (first, again) -> first));
    }

    private void silent(Host host, String why) {
        steps.silent(host.id, why);
    }

    /**
     * Whether the scheduled beat asks for the host's facts this time: once per corral.heartbeat.facts-every, and every time
     * for a host that is not up or did not answer last time. Half the requests of asking for both each beat, at 5,000 hosts
     * a beat every 10 s (bench/RESULTS.md, "Scale"). When they were taken is kept with the host, so panels taking turns
     * at it share it.
     */
    private boolean factsDue(Host host) {
        return host.status != Host.Status.up || host.factsTakenAt == null
                || host.factsTakenAt.isBefore(OffsetDateTime.now().minus(config.factsEvery()));
    }

    /**
     * Removes the copies the host holds of servers that are elsewhere now (see {@link StrayCopies}): an evacuated host back
     * boots its old copies, which must not go on running beside the servers restored elsewhere. A removal that fails is
     * tried again at the next beat.
     */
    private void removeStrays(Host host, Set<String> there, List<Long> strayCopies) {
        for (long server : strayCopies) {
            try {
                if (there.contains(Long.toString(server))) {
                    strays.removeUnlessBack(server, host.id, () -> {
                        agents.destroy(host.agent(), Long.toString(server));
                        LOG.infof("removed the stray copy of server %d from host %s", server, host.name);
                    });
                } else {
                    strays.removed(server, host.id);
                }
            } catch (AgentException e) {
                LOG.warnf("the stray copy of server %d on host %s stays until the next heartbeat: %s", server, host.name, e.getMessage());
            }
        }
    }
}
