package io.corral.panel.firewall;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.JsonText;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Servers' firewalls: read and replaced on the servers the caller may see (another tenant's is not
 * found), saved and queued for the server's agent in one transaction, as a change of limits is.
 */
@ApplicationScoped
@Transactional
public class FirewallService {
    @Inject
    ServerService servers;
    @Inject
    Firewalls firewalls;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    JsonText text;

    /** The server's firewall; open (default allow, no rules) until one is set. */
    public Firewall of(long serverId) {
        return firewalls.of(servers.get(serverId).id).orElse(Firewall.OPEN);
    }

    /**
     * Replaces the server's firewall whole and queues it for the agent; the operation keeps the one it
     * replaces, which comes back if the agent cannot take the change.
     */
    public Operation change(long serverId, Firewall requested, String idempotencyKey) {
        return change(serverId, current -> requested, idempotencyKey);
    }

    /**
     * Changes the server's firewall as it is now (the page's forms: add a rule, remove one, set the
     * default): read and written under the server's row lock, so two changes at once both count.
     */
    public Operation change(long serverId, UnaryOperator<Firewall> change, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        // row-locked by managed: one change at a time per server, the one replaced is the one the last change saved
        Firewall before = firewalls.of(v.id).orElse(Firewall.OPEN);
        Firewall firewall = change.apply(before).validated();
        firewalls.replace(v.id, firewall);
        v.updatedAt = OffsetDateTime.now();
        audit.record("server.firewall", "server/" + v.id, text.of(firewall));
        return operations.enqueueChange(v, Operation.Kind.firewall, idempotencyKey, before);
    }
}
