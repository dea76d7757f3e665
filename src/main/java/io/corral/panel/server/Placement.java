package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.host.Host;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.network.Kind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * Chooses a host for a new server: up and not draining, with its template installed, with a network
 * of the kind the server gets (if it gets one), with room under its overcommit ratios for memory and
 * CPU and real room for disk; best fit (the least memory left over) among those. A template none of
 * the hosts up has is bad input, named as such.
 * The candidate hosts are row-locked, so concurrent placements never overfill one. A server made from a
 * backup goes to the host whose store keeps it, or nowhere.
 */
final class Placement {
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
        List<Host> up = Host.lockPlaceable().stream().filter(h -> onlyOn == null || h.id.equals(onlyOn.id)).toList();
        if (onlyOn != null && up.isEmpty()) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.placement_backup_host_closed(onlyOn.name));
        }
        List<Host> hosts = up.stream().filter(h -> h.templates().contains(template)).toList();
        if (hosts.isEmpty() && !up.isEmpty()) {
            List<String> offered = Host.templatesOf(up);
            throw DomainException.invalid("template", r -> offered.isEmpty() ? r.placement_no_templates(template)
                    : r.placement_template_not_offered(template, String.join(", ", offered)));
        }
        Host best = bestFit(allocations, hosts.stream().filter(h -> network == null || network.hosts().contains(h.id)).toList(), asked);
        if (best == null && network != null && hosts.stream().noneMatch(h -> network.hosts().contains(h.id))) {
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
     * those allowed (asked once they are locked, so what allows them holds to the commit); null if none of them fits it.
     */
    static Host chooseAmong(Allocations allocations, String template, Limits asked, java.util.function.UnaryOperator<Set<Long>> allowed) {
        List<Host> candidates = Host.lockPlaceable().stream().filter(h -> h.templates().contains(template)).toList();
        Set<Long> ids = allowed.apply(candidates.stream().map(h -> h.id).collect(java.util.stream.Collectors.toSet()));
        return bestFit(allocations, candidates.stream().filter(h -> ids.contains(h.id)).toList(), asked);
    }

    /** The host with the least share of its memory left over once the server is on it, of those it fits on; null if none. */
    private static Host bestFit(Allocations allocations, List<Host> hosts, Limits asked) {
        Host best = null;
        double bestLeft = Double.MAX_VALUE;
        for (Host h : hosts) {
            if (h.memoryMib == null || h.cores == null || h.diskMib == null) {
                continue;
            }
            Allocation a = allocations.onHost(h.id);
            double memoryCap = h.memoryMib * h.memoryOvercommit.doubleValue();
            double memoryLeft = memoryCap - a.memoryMiB() - asked.memoryMiB();
            if (fits(h, a, asked) && memoryLeft / memoryCap < bestLeft) {
                best = h;
                bestLeft = memoryLeft / memoryCap;
            }
        }
        return best;
    }

    /**
     * Whether a server with these limits fits on the host beside what it holds (allocated): memory and CPU under
     * their overcommit ratios, disk for real. A host whose agent has not yet said its size takes nothing.
     */
    static boolean fits(Host h, Allocation allocated, Limits asked) {
        if (h.memoryMib == null || h.cores == null || h.diskMib == null) {
            return false;
        }
        return allocated.memoryMiB() + asked.memoryMiB() <= h.memoryMib * h.memoryOvercommit.doubleValue()
                && allocated.cpus().add(asked.cpus()).compareTo(BigDecimal.valueOf(h.cores).multiply(h.cpuOvercommit)) <= 0
                && allocated.diskMiB() + asked.diskMiB() <= h.diskMib;
    }
}
