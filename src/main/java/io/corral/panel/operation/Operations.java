package io.corral.panel.operation;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Queues operations in the caller's transaction, so the change and its job commit together. */
@ApplicationScoped
public class Operations {
    @Inject
    CurrentUser user;
    @Inject
    Event<OperationQueued> queued;

    /** An operation the same user already asked for with the same idempotency key. */
    public Optional<Operation> previous(String idempotencyKey) {
        return idempotencyKey == null ? Optional.empty() : Operation.findByKey(user.name(), idempotencyKey);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Operation enqueue(VirtualServer server, Operation.Kind kind, String idempotencyKey, String payload) {
        Operation o = new Operation();
        o.server = server;
        o.kind = kind;
        o.status = Operation.Status.queued;
        o.requestedBy = user.name();
        o.idempotencyKey = idempotencyKey;
        o.payload = payload;
        o.createdAt = OffsetDateTime.now();
        o.persist();
        queued.fire(new OperationQueued(o.id));
        return o;
    }
}
