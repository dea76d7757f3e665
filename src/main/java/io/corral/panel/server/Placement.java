package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.host.Host;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import java.math.BigDecimal;
import java.util.List;

/**
 * Chooses a host for a new server: up and not draining, with its template installed, with room under
 * its overcommit ratios for memory and CPU and real room for disk; best fit (the least memory left
 * over) among those. A template none of the hosts up has is bad input, named as such.
 * The candidate hosts are row-locked, so concurrent placements never overfill one.
 */
final class Placement {
    private Placement() {
    }

    static Host choose(Allocations allocations, String template, Limits asked) {
        List<Host> up = Host.lockPlaceable();
        List<Host> hosts = up.stream().filter(h -> h.templates().contains(template)).toList();
        if (hosts.isEmpty() && !up.isEmpty()) {
            List<String> offered = Host.templatesOf(up);
            throw DomainException.invalid("template", "no host that takes new servers has '" + template + "'; "
                    + (offered.isEmpty() ? "they have no template installed yet" : "offered: " + String.join(", ", offered)));
        }
        Host best = null;
        double bestLeft = Double.MAX_VALUE;
        for (Host h : hosts) {
            if (h.memoryMib == null || h.cores == null || h.diskMib == null) {
                continue;
            }
            Allocation a = allocations.onHost(h.id);
            double memoryCap = h.memoryMib * h.memoryOvercommit.doubleValue();
            BigDecimal cpuCap = BigDecimal.valueOf(h.cores).multiply(h.cpuOvercommit);
            double memoryLeft = memoryCap - a.memoryMiB() - asked.memoryMiB();
            boolean fits = memoryLeft >= 0
                    && a.cpus().add(asked.cpus()).compareTo(cpuCap) <= 0
                    && a.diskMiB() + asked.diskMiB() <= h.diskMib;
            if (fits && memoryLeft / memoryCap < bestLeft) {
                best = h;
                bestLeft = memoryLeft / memoryCap;
            }
        }
        if (best == null) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, "no host has room for a server with "
                    + asked.memoryMiB() + " MiB memory, " + asked.cpus().stripTrailingZeros().toPlainString() + " CPUs and "
                    + asked.diskMiB() + " MiB disk (" + hosts.size() + " hosts up with " + template + "); nothing was reserved");
        }
        return best;
    }
}
