package io.corral.panel.server;

import jakarta.persistence.EntityManager;
import java.math.BigDecimal;

/** What existing servers hold, summed from the live rows (never a stored counter). */
public record Allocation(long servers, long memoryMiB, BigDecimal cpus, long diskMiB) {
    public static Allocation ofTenant(EntityManager em, long tenantId) {
        return query(em, "v.tenant.id = :id", tenantId);
    }

    public static Allocation ofHost(EntityManager em, long hostId) {
        return query(em, "v.host.id = :id", hostId);
    }

    private static Allocation query(EntityManager em, String where, long id) {
        Object[] row = (Object[]) em.createQuery("select count(v), coalesce(sum(v.memoryMib), 0), coalesce(sum(v.cpus), 0), "
                        + "coalesce(sum(v.diskMib), 0) from VirtualServer v where " + where + " and v.desiredState <> :destroyed")
                .setParameter("id", id).setParameter("destroyed", VirtualServer.Desired.destroyed).getSingleResult();
        return new Allocation(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                new BigDecimal(row[2].toString()), ((Number) row[3]).longValue());
    }
}
