package io.corral.panel.operation;

import io.corral.panel.agent.Agent;
import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.MoveSent;
import io.corral.panel.agent.ServerState;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A move's work, agent to agent: the server made on the receiving host as the receiving end of the move (same id,
 * hostname, template, limits and credentials) with a token issued for this transfer alone; the sending agent copies
 * the disk there directly (while the server runs, then stopped) and the receiver checks it; then the server starts
 * there, the panel records its new host, and the stopped copy on the old host is removed. Exactly one copy ever runs.
 * A re-run after a crash asks the receiving agent first: a move it committed is finished, anything else starts over.
 */
@ApplicationScoped
class ServerMove {
    private static final Logger LOG = Logger.getLogger(ServerMove.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a busy copy (the send of an attempt taken over) may keep the worker from removing it. */
    private static final java.time.Duration BUSY_PATIENCE = java.time.Duration.ofMinutes(2);

    @Inject
    AgentClient agents;
    @Inject
    OperationSteps steps;

    VirtualServer.Observed run(Job job) {
        String id = job.serverId();
        Agent from = job.agent(), to = job.moveTo();
        Map<String, Object> result = new LinkedHashMap<>();
        // only a re-run of this move trusts a copy committed there: ones before this operation's own attempts are stale
        if (job.attempts() == 1 || !committed(agents.server(to, id))) {
            result = copy(job);
        }
        // recorded as soon as the copy there is the server, before it starts: a start that fails leaves it where it is
        if (!steps.finish(job.operationId(), job.attempts(), o -> steps.moved(job.operationId(), job.moveToHost(), VirtualServer.Observed.stopped))) {
            throw new DomainException(DomainException.Kind.CONFLICT, null, Refusals::move_taken_over);
        }
        long started = System.nanoTime();
        ServerState state = job.desired() == VirtualServer.Desired.running ? start(to, id) : agents.server(to, id).orElseThrow();
        if (result.get("stoppedMillis") instanceof Long stopped) {
            result.put("downtimeMillis", stopped + (System.nanoTime() - started) / 1_000_000);
        }
        steps.moveResult(job.operationId(), result);
        try {
            destroyWhenFree(from, id);
        } catch (AgentException e) {
            // the move is done; the heartbeat removes the copy when that host answers again
            steps.leftBehind(job.operationId(), "left stopped by its move to host " + to.host() + ": " + e.getMessage());
            LOG.infof("server %s moved to host %s; its stopped copy on host %s is removed when that host answers again: %s", id, to.host(),
                    from.host(), e.getMessage());
        }
        return VirtualServer.Observed.reported(state.state());
    }

    /** The receiving end made afresh and the disk sent to it; a failure leaves the server as it was where it was. */
    private Map<String, Object> copy(Job job) {
        String id = job.serverId();
        Agent from = job.agent(), to = job.moveTo();
        destroyWhenFree(to, id); // the receiving end of an attempt cut short, or a stale copy
        agents.buildTemplate(to, job.template());
        String token = token();
        agents.create(to, id, job.hostname(), job.template(), job.limits(), job.rates(), false, job.network(), job.firewall(),
                job.forwards(), job.credentials(), token);
        MoveSent sent;
        try {
            sent = agents.send(from, id, to, token);
        } catch (AgentException e) {
            if (committedDespite(to, id, e)) {
                return new LinkedHashMap<>(Map.of("answerLost", true));
            }
            undo(job, e.status() == 504);
            throw new DomainException(DomainException.Kind.UNAVAILABLE, null, r -> r.move_failed(to.host(), id, from.host(),
                    e.words().apply(r)));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bytesSent", sent.bytesSent());
        result.put("blocksSent", sent.blocksSent());
        result.put("rounds", sent.rounds());
        result.put("stoppedMillis", sent.stoppedMillis());
        result.put("wasRunning", sent.wasRunning());
        return result;
    }

    /** Whether a send whose answer failed committed all the same (the answer lost on the way back). */
    private boolean committedDespite(Agent to, String id, AgentException failure) {
        try {
            return committed(agents.server(to, id));
        } catch (AgentException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    /**
     * The receiving end removed (waiting for a commit under way there to end), then the server started again where it
     * was, if it should run. Where the sender could not tell whether the receiver committed (commitUnknown) and the
     * receiver cannot be reached to remove its end, the server stays stopped: started here, it could run twice.
     */
    private void undo(Job job, boolean commitUnknown) {
        String id = job.serverId();
        try {
            destroyWhenFree(job.moveTo(), id);
        } catch (AgentException e) {
            if (commitUnknown) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, null, r -> r.move_failed_unknown(job.moveTo().host(), id,
                        job.agent().host(), e.words().apply(r)));
            }
            // its agent removes an uncommitted receiving end when it starts again
            LOG.infof("move of server %s: its receiving end on host %s stays until that agent restarts: %s", id, job.moveTo().host(), e.getMessage());
        }
        if (job.desired() == VirtualServer.Desired.running) {
            try {
                start(job.agent(), id);
            } catch (AgentException e) {
                LOG.warnf("move of server %s failed, and it did not start again on host %s: %s", id, job.agent().host(), e.getMessage());
            }
        }
    }

    /**
     * Destroys the server's copy on the agent, waiting while it is busy (409): a send of an attempt taken over may
     * still hold it, until it has told its receiver it is done.
     */
    private void destroyWhenFree(Agent agent, String id) {
        long deadline = System.nanoTime() + BUSY_PATIENCE.toNanos();
        for (long pause = 100; ; pause = Math.min(2 * pause, 2000)) {
            try {
                if (agents.server(agent, id).isPresent()) {
                    agents.destroy(agent, id);
                }
                return;
            } catch (AgentException e) {
                if (e.status() != 409 || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DomainException(DomainException.Kind.UNAVAILABLE, null, r -> r.move_interrupted(id, agent.host()));
            }
        }
    }

    /** Started, or found running already. */
    private ServerState start(Agent agent, String id) {
        try {
            return agents.act(agent, id, "start");
        } catch (AgentException e) {
            Optional<ServerState> now = e.status() == 409 ? agents.server(agent, id) : Optional.empty();
            if (now.isPresent() && "running".equals(now.get().state())) {
                return now.get();
            }
            throw e;
        }
    }

    private static boolean committed(Optional<ServerState> there) {
        return there.isPresent() && !there.get().incoming();
    }

    /** 256 random bits, base64url: issued for one transfer, kept by no one but the two agents (the receiver its hash). */
    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
