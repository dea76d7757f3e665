package io.corral.panel.server;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostSize;
import io.corral.panel.network.Addresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Admins' moves of servers between hosts. A move is checked and queued in one transaction: the receiving host must be
 * up, not draining, and have room for the server under its overcommit ratios (held for the server until the move
 * ends, so no placement or second move takes it meanwhile), be on the networks the server has addresses of, and take
 * its port forwards; the sending host must be up, for its agent sends the disk. The server keeps its addresses.
 */
@ApplicationScoped
@Transactional
public class ServerMoves {
    @Inject
    Operations operations;
    @Inject
    Allocations allocations;
    @Inject
    Addresses addresses;
    @Inject
    Audit audit;
    @Inject
    jakarta.enterprise.event.Event<ArrivingOnHost> arriving;
    @Inject
    io.corral.panel.host.StrayCopies strays;
    @Inject
    JsonText text;
    @Inject
    EntityManager em;
    @Inject
    io.corral.panel.common.CurrentUser user;

    public Operation move(long id, long hostId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.move);
        if (previous.isPresent()) {
            return previous.get();
        }
        return queue(id, hostId, idempotencyKey, user.name());
    }

    /**
     * As {@link #move}, for background work that acts for an admin (a run of moves): the key is the caller's own, and
     * the same one again finds the operation queued before.
     */
    public Operation moveFor(String requestedBy, long id, long hostId, String key) {
        return Operation.findByKey(requestedBy, key).orElseGet(() -> queue(id, hostId, key, requestedBy));
    }

    private Operation queue(long id, long hostId, String idempotencyKey, String requestedBy) {
        VirtualServer v = VirtualServer.<VirtualServer>findByIdOptional(id)
                .filter(s -> s.desiredState != VirtualServer.Desired.destroyed).orElseThrow(() -> DomainException.notFound(r -> r.server_not_found(id)));
        em.refresh(v, LockModeType.PESSIMISTIC_WRITE);
        Host to = Host.<Host>findByIdOptional(hostId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.invalid("hostId", r -> r.move_host_not_found(hostId)));
        strays.removed(v.id, to.id); // a copy it left there before is its own again (its ports too): the move replaces it
        check(v, to);
        v.movingTo = to;
        v.updatedAt = OffsetDateTime.now();
        Operation op = operations.enqueue(v, Operation.Kind.move, idempotencyKey, text.of(Map.of("fromHost", v.host.id, "toHost", to.id)),
                requestedBy);
        audit.recordAs(requestedBy, "server.move", "server/" + v.id, "from host " + v.host.name + " to host " + to.name);
        return op;
    }

    private void check(VirtualServer v, Host to) {
        if (v.desiredState == VirtualServer.Desired.destroyed) {
            throw DomainException.notFound(r -> r.server_not_found(v.id));
        }
        if (to.id.equals(v.host.id)) {
            throw DomainException.conflict(r -> r.move_there_already(v.id, to.name));
        }
        // hosts' names read now: a refusal's words are made after the transaction, when lazy relations cannot be read
        if (v.movingTo != null) {
            String movingTo = v.movingTo.name;
            throw DomainException.conflict(r -> r.move_under_way(v.id, movingTo));
        }
        if (to.status != Host.Status.up) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, "hostId", r -> r.move_host_closed(to.name, to.status.toString()));
        }
        String from = v.host.name;
        if (v.host.status == Host.Status.down) {
            throw DomainException.conflict(r -> r.move_from_down_host(from));
        }
        Optional<String> missing = addresses.missingOn(v.id, to.id);
        if (missing.isPresent()) {
            throw DomainException.conflict(r -> r.move_network_missing(v.id, missing.get(), to.name));
        }
        Number snapshots = (Number) em.createNativeQuery("select count(*) from snapshot where server_id = ?1 and status <> 'deleted' and status <> 'failed'")
                .setParameter(1, v.id).getSingleResult();
        if (snapshots.longValue() > 0) {
            throw DomainException.conflict(r -> r.move_has_snapshots(v.id, snapshots.longValue(), from));
        }
        HostRoom.lock(to.id);
        if (!HostRoom.fits(HostSize.of(to), allocations.onHost(to.id), v.limits())) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, "hostId", r -> r.move_no_room(to.name, v.id, v.memoryMib,
                    v.cpus.stripTrailingZeros().toPlainString(), v.diskMib));
        }
        arriving.fire(new ArrivingOnHost(v.id, to.id, to.name));
    }
}
