package io.corral.panel.server;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.Refusals;
import io.corral.panel.limits.Limits;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Queues operations in the caller's transaction, so the change and its job commit together; reads them
 * for whoever may see them: admins all, customers their tenant's.
 */
@ApplicationScoped
public class Operations {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    @Inject
    CurrentUser user;
    @Inject
    Event<OperationQueued> queued;
    @Inject
    JsonText text;

    /** Newest first; only the server's when one is given. */
    public Page<OperationView> list(Long serverId, PageRequest page) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (!user.isAdmin()) {
            where.append(" and server.tenant.slug = :slug");
            params = params.and("slug", user.tenantSlug().orElse(""));
        }
        if (serverId != null) {
            where.append(" and server.id = :server");
            params = params.and("server", serverId);
        }
        return Page.of(Operation.find(where.toString(), Sort.descending("id"), params), page, OperationView::of);
    }

    public Optional<Operation> visible(long id) {
        return Operation.<Operation>findByIdOptional(id)
                .filter(o -> user.isAdmin() || user.tenantSlug().filter(o.server.tenant.slug::equals).isPresent());
    }

    /**
     * An operation the same user already asked for with the same idempotency key. Every request that
     * takes a key asks here first, so this is where the key's form is checked: it is stored in a unique
     * index, whose entries PostgreSQL keeps below about 2,700 bytes.
     */
    public Optional<Operation> previous(String idempotencyKey) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw DomainException.invalid("Idempotency-Key", Refusals::operation_key_form);
        }
        return Operation.findByKey(user.name(), idempotencyKey);
    }

    /** As {@link #previous(String)}, for a request of one kind: a key given before to another kind of request is refused, naming it. */
    public Optional<Operation> previous(String idempotencyKey, Operation.Kind kind) {
        Optional<Operation> previous = previous(idempotencyKey);
        if (previous.isPresent() && previous.get().kind != kind) {
            throw DomainException.invalid("Idempotency-Key", r -> r.operation_key_other_kind(previous.get().kind.toString()));
        }
        return previous;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Operation enqueue(VirtualServer server, Operation.Kind kind, String idempotencyKey, String payload) {
        return enqueue(server, kind, idempotencyKey, payload, user.name());
    }

    /** As {@link #enqueue(VirtualServer, Operation.Kind, String, String)}, for background work acting for requestedBy. */
    public Operation enqueue(VirtualServer server, Operation.Kind kind, String idempotencyKey, String payload, String requestedBy) {
        Operation o = new Operation();
        o.server = server;
        o.kind = kind;
        o.status = Operation.Status.queued;
        o.requestedBy = requestedBy;
        o.idempotencyKey = idempotencyKey;
        o.payload = payload;
        o.createdAt = OffsetDateTime.now();
        o.persist();
        queued.fire(new OperationQueued(o.id));
        return o;
    }

    /** The limits last asked of the server: those its newest change of limits not yet ended asks for, else its own. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Limits asked(VirtualServer server) {
        return Operation.<Operation>find("server = ?1 and kind = ?2 and status in ?3 order by id desc", server, Operation.Kind.limits,
                        List.of(Operation.Status.queued, Operation.Status.running)).stream().filter(Operation::changesLimits).findFirst()
                .map(o -> text.read(o.payload, "requested", Limits.class)).orElse(server.limits());
    }

    /**
     * A change of the server's limits: those asked changed (requested: them on the limits last asked), with what it
     * replaced (previous), which comes back if the agent cannot take it. Until its agent has taken it, the server holds
     * the larger of each limit, what it had and what is requested: a limit lowered frees its room on the host and in the
     * tenant's quota only then, so that a change that fails never puts back more than was left for it. A change queued
     * behind another gets its previous and requested again once that one has ended (OperationSteps). The caller has the
     * server's row locked and has checked what grows.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Operation enqueueLimits(VirtualServer server, LimitsRequest asked, Limits requested, String idempotencyKey) {
        Limits previous = server.limits();
        server.setLimits(previous.max(requested));
        return enqueue(server, Operation.Kind.limits, idempotencyKey,
                text.of(Map.of("previous", previous, "asked", asked, "requested", requested)));
    }

    /**
     * A plan's rates sent to the server's agent, with the limits the agent is to have at that point of the server's queue
     * (OperationSteps); the server's limits, and their bookkeeping, are not touched.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Operation enqueueRates(VirtualServer server) {
        return enqueue(server, Operation.Kind.limits, null, text.of(Map.of("rates", true)));
    }

    /**
     * A change of the server that its agent takes whole (its firewall, its forwards), already saved: joins the
     * one of its kind still queued, which sends what is saved when a worker claims it, this one included, so
     * changes in a row cost one operation however fast they come; else queues one keeping previous, what the
     * change replaced, which comes back if the agent cannot take it. The queued one is row-locked: a worker
     * claiming it first has it running, and this change gets an operation of its own.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Operation enqueueChange(VirtualServer server, Operation.Kind kind, String idempotencyKey, Object previous) {
        return Operation.<Operation>find("server = ?1 and kind = ?2 and status = ?3", server, kind, Operation.Status.queued)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseGet(() -> enqueue(server, kind, idempotencyKey, text.of(Map.of("previous", previous))));
    }
}
