package io.corral.panel.forward;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.JsonText;
import io.corral.panel.network.Addresses;
import io.corral.panel.network.Kind;
import io.corral.panel.network.ServerNetwork;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Servers' port forwards: read and replaced on the servers the caller may see (another tenant's is not
 * found), saved and queued for the server's agent in one transaction, as a firewall is.
 */
@ApplicationScoped
@Transactional
public class ForwardService {
    @Inject
    ServerService servers;
    @Inject
    Forwards forwards;
    @Inject
    Addresses addresses;
    @Inject
    ForwardConfig range;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    JsonText text;

    /** The server's forwards, and the address customers reach its host at. */
    public PortForwards of(long serverId) {
        VirtualServer v = servers.get(serverId);
        return new PortForwards(v.host == null ? null : v.host.reachedAt(), forwards.of(v.id));
    }

    /** Replaces the server's forwards whole and queues them for the agent (see {@link #change(long, UnaryOperator, String)}). */
    public Operation change(long serverId, List<PortForward> requested, String idempotencyKey) {
        return change(serverId, current -> requested, idempotencyKey);
    }

    /**
     * Changes the server's forwards as they are now (the page's forms: add one, remove one) under the
     * server's row lock, so two changes of one server at once both count; the operation keeps the ones
     * replaced, which come back if the agent cannot take the change.
     */
    public Operation change(long serverId, UnaryOperator<List<PortForward>> change, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId); // row-locked: one change at a time per server
        List<PortForward> before = forwards.of(v.id);
        List<PortForward> wanted = PortForwards.validated(change.apply(before), v.tenant.plan.serverPortForwards, range);
        if (!wanted.isEmpty()) {
            Optional<ServerNetwork> network = addresses.of(v.id);
            if (network.isEmpty() || network.get().kind() != Kind.PRIVATE || network.get().ipv4() == null) {
                throw DomainException.invalid("forwards", network.isEmpty() ? Refusals::forward_no_network : Refusals::forward_own_addresses);
            }
        }
        List<PortForward> saved = forwards.replace(v.id, v.host.id, wanted);
        v.updatedAt = OffsetDateTime.now();
        audit.record("server.forwards", "server/" + v.id, text.of(saved));
        return operations.enqueueChange(v, Operation.Kind.forwards, idempotencyKey, new PortForwards(null, before));
    }

}
