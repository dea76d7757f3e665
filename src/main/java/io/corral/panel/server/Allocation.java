package io.corral.panel.server;

import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** What existing servers hold, summed from the live rows (never a stored counter). */
public record Allocation(long servers, long memoryMiB, BigDecimal cpus, long diskMiB) {
    public static final Allocation NONE = new Allocation(0, 0, BigDecimal.ZERO, 0);

    public static Allocation ofTenant(EntityManager em, long tenantId) {
        return query(em, "v.tenant.id = :id", tenantId);
    }

    public static Allocation ofHost(EntityManager em, long hostId) {
        return query(em, "v.host.id = :id", hostId);
    }

    /** Every host's allocation in one query, by host id; hosts without servers are absent. */
    public static Map<Long, Allocation> byHost(EntityManager em) {
        Map<Long, Allocation> byHost = new HashMap<>();
        em.createQuery("select v.host.id, count(v), coalesce(sum(v.memoryMib), 0), coalesce(sum(v.cpus), 0), "
                        + "coalesce(sum(v.diskMib), 0) from VirtualServer v where v.host is not null and v.desiredState <> :destroyed "
                        + "group by v.host.id", Object[].class)
                .setParameter("destroyed", VirtualServer.Desired.destroyed).getResultList()
                .forEach(r -> byHost.put((Long) r[0], of(r, 1)));
        return byHost;
    }

    private static Allocation of(Object[] row, int first) {
        return new Allocation(((Number) row[first]).longValue(), ((Number) row[first + 1]).longValue(),
                new BigDecimal(row[first + 2].toString()), ((Number) row[first + 3]).longValue());
    }

    private static Allocation query(EntityManager em, String where, long id) {
        Object[] row = (Object[]) em.createQuery("select count(v), coalesce(sum(v.memoryMib), 0), coalesce(sum(v.cpus), 0), "
                        + "coalesce(sum(v.diskMib), 0) from VirtualServer v where " + where + " and v.desiredState <> :destroyed")
                .setParameter("id", id).setParameter("destroyed", VirtualServer.Desired.destroyed).getSingleResult();
        return of(row, 0);
    }
}
