package io.corral.panel.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.audit.Audit;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Map;
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
    EntityManager em;
    @Inject
    ObjectMapper json;

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
        audit.record("server.firewall", "server/" + v.id, write(firewall));
        // a change still queued sends the firewall saved when a worker claims it, this one included: changes
        // in a row cost one operation, however fast they come. Its row is locked: a worker claiming it first
        // has it running, and this change gets an operation of its own
        Optional<Operation> queued = Operation.<Operation>find("server = ?1 and kind = ?2 and status = ?3", v, Operation.Kind.firewall,
                Operation.Status.queued).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        return queued.orElseGet(() -> operations.enqueue(v, Operation.Kind.firewall, idempotencyKey, write(Map.of("previous", before))));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
