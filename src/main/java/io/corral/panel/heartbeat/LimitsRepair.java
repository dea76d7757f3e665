package io.corral.panel.heartbeat;

import io.corral.panel.agent.ServerState;
import io.corral.panel.audit.Audit;
import io.corral.panel.common.JsonText;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Servers whose agent holds them to limits other than those the panel records, which billing and quotas count: changed on
 * the host behind the panel's back, or by a change of limits that reached the agent after the panel had given it up (a
 * host cut off for a while). Compared at the beats that read the host's facts ({@link HeartbeatSteps.Answered}). Each gets
 * the panel's limits sent again, with its plan's rates, as an operation of its own
 * (what a plan's new rates get), and the drift is audited. A running server's disk is compared and sent once it is
 * stopped (the agent resizes a stopped server's disk only): until then a repair keeps the disk the agent has.
 * Only a server settled since the beat asked its agent: no operation of it queued or running, and none ended since (the
 * answer may predate what it did); and a repair that failed is not sent again for a day while the agent holds the same
 * limits (a disk that cannot shrink to the panel's size would be checked again at every beat).
 */
@ApplicationScoped
public class LimitsRepair {
    private static final Logger LOG = Logger.getLogger(LimitsRepair.class);
    /** How far the panels' clocks, which end operations, may be from this one's, which says when the beat asked. */
    private static final Duration CLOCKS = Duration.ofMinutes(1);
    static final Duration FAILED_AGAIN_AFTER = Duration.ofDays(1);

    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    JsonText text;

    /**
     * Whether the server's agent holds it to the limits the panel records for it, with its plan's rates; true where it does
     * not say, and not where it is in doubt.
     */
    static boolean asRecorded(ServerState reported, Limits limits, Rates rates) {
        return reported == null || reported.limits() == null
                || !reported.limitsInDoubt() && reported.limits().are(limits, rates, !running(reported));
    }

    private static boolean running(ServerState reported) {
        return VirtualServer.Observed.reported(reported.state()) == VirtualServer.Observed.running;
    }

    /**
     * differing: servers of the host whose reported limits differed from the panel's; asked: when the beat asked its agent.
     * Each is read again under its row's lock, as every request queueing an operation locks it, in the order of their ids.
     */
    @Transactional
    public void repair(long hostId, Collection<Long> differing, Map<String, ServerState> reported, OffsetDateTime asked) {
        for (long id : differing.stream().sorted().toList()) {
            VirtualServer v = VirtualServer.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (v == null || v.host == null || v.host.id != hostId || v.desiredState == VirtualServer.Desired.destroyed) {
                continue;
            }
            ServerState held = reported.get(v.agentId());
            Rates rates = v.tenant.plan.rates();
            if (asRecorded(held, v.limits(), rates) || !settled(v, held.limits(), asked)) {
                continue;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("repair", true);
            payload.put("held", held.limits());
            if (running(held) && held.limits().diskMiB() != v.limits().diskMiB()) {
                payload.put("keepDiskMiB", held.limits().diskMiB());
            }
            Operation o = operations.enqueue(v, Operation.Kind.limits, null, text.of(payload), HeartbeatSteps.ACTOR);
            LOG.warnf("server %d holds limits other than the panel's; operation %d sends the panel's again", v.id, o.id);
            audit.recordAs(HeartbeatSteps.ACTOR, "server.limits-drift", "server/" + v.id, text.of(Map.of(
                    "recorded", Map.of("limits", v.limits(), "rates", rates), "held", held.limits(), "operation", o.id)));
        }
    }

    /** No operation of the server queued, running or ended since the beat asked, and no repair of held refused within the day. */
    private boolean settled(VirtualServer v, ServerState.HeldLimits held, OffsetDateTime asked) {
        return Operation.count("server = ?1 and (status in ?2 or finishedAt > ?3)", v,
                List.of(Operation.Status.queued, Operation.Status.running), asked.minus(CLOCKS)) == 0
                && Operation.<Operation>find("server = ?1 and requestedBy = ?2 and kind = ?3 order by id desc", v, HeartbeatSteps.ACTOR,
                        Operation.Kind.limits).firstResultOptional()
                .filter(last -> last.status == Operation.Status.failed && last.createdAt.isAfter(OffsetDateTime.now().minus(FAILED_AGAIN_AFTER))
                        && held.equals(text.read(last.payload, "held", ServerState.HeldLimits.class)))
                .isEmpty();
    }
}
