package io.corral.panel.server;

import io.corral.panel.plan.Plan;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** What existing servers hold, summed from the live rows (never a stored counter); or what a plan allows in all. */
public record Allocation(long servers, long memoryMiB, long swapMiB, BigDecimal cpus, long cpuWeight, long pids, long diskMiB) {
    public static final Allocation NONE = new Allocation(0, 0, 0, BigDecimal.ZERO, 0, 0, 0);
    private static final String SUMS = "count(v), coalesce(sum(v.memoryMib), 0), coalesce(sum(v.swapMib), 0), coalesce(sum(v.cpus), 0), "
            + "coalesce(sum(v.cpuWeight), 0), coalesce(sum(v.pids), 0), coalesce(sum(v.diskMib), 0)";

    public static Allocation ofTenant(EntityManager em, long tenantId) {
        return query(em, "v.tenant.id = :id", tenantId);
    }

    public static Allocation ofHost(EntityManager em, long hostId) {
        return query(em, "v.host.id = :id", hostId);
    }

    /** The most a tenant of the plan may hold in all. */
    public static Allocation allowedBy(Plan p) {
        return new Allocation(p.maxServers, p.maxMemoryMib, p.maxSwapMib, p.maxCpus, p.maxCpuWeight, p.maxPids, p.maxDiskMib);
    }

    /** What is left of this when held is taken away; nothing, rather than less than nothing. */
    public Allocation leftAfter(Allocation held) {
        return new Allocation(Math.max(0, servers - held.servers), Math.max(0, memoryMiB - held.memoryMiB),
                Math.max(0, swapMiB - held.swapMiB), cpus.subtract(held.cpus).max(BigDecimal.ZERO),
                Math.max(0, cpuWeight - held.cpuWeight), Math.max(0, pids - held.pids), Math.max(0, diskMiB - held.diskMiB));
    }

    /** Every host's allocation in one query, by host id; hosts without servers are absent. */
    public static Map<Long, Allocation> byHost(EntityManager em) {
        Map<Long, Allocation> byHost = new HashMap<>();
        em.createQuery("select v.host.id, " + SUMS + " from VirtualServer v where v.host is not null and v.desiredState <> :destroyed "
                        + "group by v.host.id", Object[].class)
                .setParameter("destroyed", VirtualServer.Desired.destroyed).getResultList()
                .forEach(r -> byHost.put((Long) r[0], of(r, 1)));
        return byHost;
    }

    private static Allocation of(Object[] row, int first) {
        return new Allocation(number(row[first]), number(row[first + 1]), number(row[first + 2]), new BigDecimal(row[first + 3].toString()),
                number(row[first + 4]), number(row[first + 5]), number(row[first + 6]));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Allocation query(EntityManager em, String where, long id) {
        Object[] row = (Object[]) em.createQuery("select " + SUMS + " from VirtualServer v where " + where + " and v.desiredState <> :destroyed")
                .setParameter("id", id).setParameter("destroyed", VirtualServer.Desired.destroyed).getSingleResult();
        return of(row, 0);
    }
}
