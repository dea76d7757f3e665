package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostSize;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The room a host has for its servers: memory and CPU under its overcommit ratios, disk for real. A server placed on a
 * host, moved to it or grown on it is checked under the host's room lock, an advisory lock per host taken after every
 * row lock of the transaction: an order and a move hold the host's row too, a change of limits only the server's row
 * (a heartbeat locks a host's row before its servers', so a change of limits locking the host's row after the
 * server's could wait for a heartbeat waiting for it).
 */
final class HostRoom {
    /** The first key of a host's room lock (the second is the host's id); issue 15's forwards lock has 15. */
    private static final int ROOM_LOCK = 18;

    private HostRoom() {
    }

    /** Waits until no other transaction checks or changes this host's room, and keeps the others waiting until this one ends. */
    static void lock(long hostId) {
        Host.getEntityManager().createNativeQuery("select cast(pg_advisory_xact_lock(:kind, cast(:host as integer)) as text)")
                .setParameter("kind", ROOM_LOCK).setParameter("host", hostId).getSingleResult();
    }

    /** Whether a server with these limits fits beside what the host holds (allocated). A host whose agent has not yet said its size takes nothing. */
    static boolean fits(HostSize h, Allocation allocated, Limits asked) {
        return h.sized() && withoutRoom(h, allocated, asked).isEmpty();
    }

    /**
     * Refuses the server's limits growing past its host's room, naming the first limit that does not fit; only what grows
     * is checked, so a server on a host already over a ratio may still shrink. The caller holds the server's row lock; the
     * room is locked here. A server being moved grows once the move has ended (its room is held on both hosts meanwhile).
     */
    static void checkGrowth(Allocations allocations, VirtualServer v, Limits after) {
        Limits growth = after.minus(v.limits());
        if (growth.memoryMiB() <= 0 && growth.cpus().signum() <= 0 && growth.diskMiB() <= 0) {
            return;
        }
        if (v.movingTo != null) {
            String to = v.movingTo.name;
            throw DomainException.conflict(r -> r.limits_moving(v.id, to));
        }
        Host h = v.host;
        if (h.memoryMib == null || h.cores == null || h.diskMib == null) {
            return; // its agent has not said its size: nothing to hold it to
        }
        lock(h.id);
        Optional<String> field = withoutRoom(HostSize.of(h), allocations.onHost(h.id), growth);
        if (field.isPresent()) {
            String host = h.name, cpus = after.cpus().stripTrailingZeros().toPlainString();
            throw new DomainException(DomainException.Kind.NO_CAPACITY, field.get(), r -> r.limits_no_room(field.get(), host, v.id,
                    after.memoryMiB(), cpus, after.diskMiB()));
        }
    }

    /** The field of the first limit that grows past the host's room with asked beside held; none if they all fit. */
    private static Optional<String> withoutRoom(HostSize h, Allocation held, Limits asked) {
        if (asked.memoryMiB() > 0 && held.memoryMiB() + asked.memoryMiB() > h.memoryMib() * h.memoryOvercommit().doubleValue()) {
            return Optional.of("memoryMiB");
        }
        if (asked.cpus().signum() > 0
                && held.cpus().add(asked.cpus()).compareTo(BigDecimal.valueOf(h.cores()).multiply(h.cpuOvercommit())) > 0) {
            return Optional.of("cpus");
        }
        if (asked.diskMiB() > 0 && held.diskMiB() + asked.diskMiB() > h.diskMib()) {
            return Optional.of("diskMiB");
        }
        return Optional.empty();
    }
}
