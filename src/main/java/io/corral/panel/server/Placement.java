package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostSize;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.network.Kind;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Chooses a host for a new server: up and not draining, with its template installed, with a network
 * of the kind the server gets (if it gets one), with room under its overcommit ratios for memory and
 * CPU and real room for disk; best fit (the least memory left over) among those. A template none of
 * the hosts up has is bad input, named as such.
 * A server made from a backup goes to the host whose store keeps it, or nowhere.
 * <p>
 * The hosts' sizes are read without locks, as values, and their allocations in one query; only the host chosen is
 * locked (its row, and its room: {@link HostRoom}) and checked again under those locks, since an order or a move may
 * have taken its room meanwhile; if it has, the next best is locked and checked. Placements take turns (an advisory
 * lock, across panels): two each holding the host the other turns to next would wait for each other. Locking every
 * host that is up instead would make an order wait for every heartbeat and usage round holding one of thousands.
 */
public final class Placement {
    /** The advisory lock key of placements ("corral" "P" in ASCII). */
    private static final long PLACEMENT_LOCK = 0x636f7272616c50L;

    private Placement() {
    }

    /**
     * network: the kind of network the server needs, and the hosts that have one; null for a server
     * without network, which any host takes.
     */
    record Need(Kind kind, Set<Long> hosts) {
    }

    /** onlyOn: the one host the server may go to (where the backup it is made from is stored); null: any. */
    static Host choose(Allocations allocations, String template, Limits asked, Need network, Host onlyOn) {
        takeTurn();
        List<HostSize> up = Host.placeable().stream().filter(h -> onlyOn == null || h.id().equals(onlyOn.id)).toList();
        if (onlyOn != null && up.isEmpty()) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.placement_backup_host_closed(onlyOn.name));
        }
        List<HostSize> hosts = up.stream().filter(h -> h.templates().contains(template)).toList();
        if (hosts.isEmpty() && !up.isEmpty()) {
            List<String> offered = HostSize.templatesOf(up);
            throw DomainException.invalid("template", r -> offered.isEmpty() ? r.placement_no_templates(template)
                    : r.placement_template_not_offered(template, String.join(", ", offered)));
        }
        Predicate<Long> onItsNetwork = id -> network == null || network.hosts().contains(id);
        List<HostSize> onNetwork = hosts.stream().filter(h -> onItsNetwork.test(h.id())).toList();
        Host best = lockBestFit(allocations, onNetwork, template, asked, onItsNetwork);
        if (best == null && network != null && onNetwork.isEmpty()) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.placement_no_network(network.kind().word(), hosts.size()));
        }
        if (best == null) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.placement_no_room(asked.memoryMiB(),
                    asked.cpus().stripTrailingZeros().toPlainString(), asked.diskMiB(), network == null ? null : network.kind().word(),
                    hosts.size(), template));
        }
        return best;
    }

    /**
     * For a server put on another host at once (its own is down): of the hosts that take servers and have its template,
     * those allowed (asked again of the host chosen once it is locked, so what allows it holds to the commit); null if
     * none of them fits it.
     */
    static Host chooseAmong(Allocations allocations, String template, Limits asked, UnaryOperator<Set<Long>> allowed) {
        takeTurn();
        List<HostSize> candidates = Host.placeable().stream().filter(h -> h.templates().contains(template)).toList();
        Set<Long> ids = allowed.apply(candidates.stream().map(HostSize::id).collect(Collectors.toSet()));
        return lockBestFit(allocations, candidates.stream().filter(h -> ids.contains(h.id())).toList(), template, asked,
                id -> allowed.apply(Set.of(id)).contains(id));
    }

    /**
     * Waits until no other transaction is placing, and keeps the others waiting until this one ends. A caller that
     * locks a host before placing (an evacuation locks the host that is down) or several hosts (a run of moves marks
     * the hosts it empties draining) takes its turn first, or it and a placement locking those hosts could wait for
     * each other.
     */
    public static void takeTurn() {
        Host.getEntityManager().createNativeQuery("select cast(pg_advisory_xact_lock(" + PLACEMENT_LOCK + ") as text)").getSingleResult();
    }

    /**
     * The best fit of the candidates, row-locked and found, under that lock, still up, still with the template, still
     * allowed and still with room; else the next best. Null if none fits.
     */
    private static Host lockBestFit(Allocations allocations, List<HostSize> candidates, String template, Limits asked,
                                    Predicate<Long> stillAllowed) {
        Map<Long, Allocation> held = allocations.onHosts(candidates.stream().map(HostSize::id).toList());
        List<HostSize> left = new ArrayList<>(candidates);
        for (HostSize fit = bestFit(left, held, asked); fit != null; fit = bestFit(left, held, asked)) {
            // one statement: the row read as it is now, under its lock (a reference, not found first and then read again)
            Host best = Host.getEntityManager().getReference(Host.class, fit.id());
            Host.getEntityManager().refresh(best, LockModeType.PESSIMISTIC_WRITE);
            HostRoom.lock(best.id);
            if (best.status == Host.Status.up && best.templates().contains(template) && stillAllowed.test(best.id)
                    && HostRoom.fits(HostSize.of(best), allocations.onHost(best.id), asked)) {
                return best;
            }
            left.remove(fit);
        }
        return null;
    }

    /** The host with the least share of its memory left over once the server is on it, of those it fits on; null if none. */
    private static HostSize bestFit(List<HostSize> hosts, Map<Long, Allocation> held, Limits asked) {
        HostSize best = null;
        double bestLeft = Double.MAX_VALUE;
        for (HostSize h : hosts) {
            if (!h.sized()) {
                continue;
            }
            Allocation a = held.getOrDefault(h.id(), Allocation.NONE);
            double memoryCap = h.memoryMib() * h.memoryOvercommit().doubleValue();
            double memoryLeft = memoryCap - a.memoryMiB() - asked.memoryMiB();
            if (HostRoom.fits(h, a, asked) && memoryLeft / memoryCap < bestLeft) {
                best = h;
                bestLeft = memoryLeft / memoryCap;
            }
        }
        return best;
    }
}
