package io.corral.panel.server;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.host.Host;
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
                .filter(s -> s.desiredState != VirtualServer.Desired.destroyed).orElseThrow(() -> DomainException.notFound("server " + id));
        em.refresh(v, LockModeType.PESSIMISTIC_WRITE);
        Host to = Host.<Host>findByIdOptional(hostId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.invalid("hostId", "host " + hostId + " does not exist"));
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
            throw DomainException.notFound("server " + v.id);
        }
        if (to.id.equals(v.host.id)) {
            throw DomainException.conflict("server " + v.id + " is on host " + to.name + " already");
        }
        if (v.movingTo != null) {
            throw DomainException.conflict("server " + v.id + " is being moved to host " + v.movingTo.name + " already");
        }
        if (to.status != Host.Status.up) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, "hostId", "host " + to.name + " is " + to.status
                    + " and takes no servers; nothing was queued");
        }
        if (v.host.status == Host.Status.down) {
            throw DomainException.conflict("host " + v.host.name + " is down, and a move needs its agent to send the server's disk;"
                    + " evacuate that host from backups instead (POST /api/v1/evacuations)");
        }
        Optional<String> missing = addresses.missingOn(v.id, to.id);
        if (missing.isPresent()) {
            throw DomainException.conflict("server " + v.id + " has addresses of network " + missing.get() + ", which host " + to.name
                    + " is not on; attach the network to that host first; nothing was queued");
        }
        Number snapshots = (Number) em.createNativeQuery("select count(*) from snapshot where server_id = ?1 and status <> 'deleted' and status <> 'failed'")
                .setParameter(1, v.id).getSingleResult();
        if (snapshots.longValue() > 0) {
            throw DomainException.conflict("server " + v.id + " has " + snapshots + " snapshots, which live beside its disk on host "
                    + v.host.name + " and do not move with it; delete them first");
        }
        if (!Placement.fits(to, allocations.onHost(to.id), v.limits())) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, "hostId", "host " + to.name + " has no room for server " + v.id
                    + " (" + v.memoryMib + " MiB memory, " + v.cpus.stripTrailingZeros().toPlainString() + " CPUs, " + v.diskMib
                    + " MiB disk) under its overcommit ratios; nothing was queued");
        }
        arriving.fire(new ArrivingOnHost(v.id, to.id, to.name));
    }
}
