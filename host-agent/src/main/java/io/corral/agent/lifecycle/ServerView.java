package io.corral.agent.lifecycle;

import io.corral.agent.containment.UserRange;
import io.corral.agent.network.NetworkView;
import io.corral.agent.network.Port;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.ServerSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * A server as the API and CLI show it: its spec and its observed state. users: the host ids its root
 * and users map to, or null when it runs without a user namespace of its own; network: its network,
 * with its MAC and the host's end of its veth, or null; incoming: it is the receiving end of a move that has
 * not committed yet (it cannot start, and a restart of the agent removes it); limitsOperation: the id of the panel's last
 * operation that changed its limits, taken or refused (null: none), by which a panel whose database was restored to an
 * earlier point numbers its next ones after it; limitsInDoubt: the running server may hold limits other than these, as
 * the last put on it failed partway (a change and its putting back both), until limits are put on it whole again.
 */
public record ServerView(String id, String hostname, String template, Limits limits,
                         ServerSpec.DesiredState desired, ServerState state, Integer initPid, Instant startedAt,
                         UserRange users, NetworkView network, boolean incoming, Long limitsOperation, boolean limitsInDoubt) {
    static ServerView of(ServerSpec spec, Optional<InitProcess> init, Port port, boolean incoming, boolean limitsInDoubt) {
        return new ServerView(spec.id(), spec.hostname(), spec.template(), spec.limits(), spec.desired(),
                ServerState.of(init), init.map(InitProcess::pid).orElse(null), init.map(InitProcess::startedAt).orElse(null),
                spec.users(), NetworkView.of(spec.network(), port), incoming,
                spec.lastLimitsOperation() == null ? null : spec.lastLimitsOperation().id(), limitsInDoubt);
    }
}
