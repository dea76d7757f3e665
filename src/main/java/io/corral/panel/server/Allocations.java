package io.corral.panel.server;

import io.corral.panel.host.HostServers;
import io.corral.panel.limits.Allocation;
import io.corral.panel.tenant.TenantServers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the servers that are not destroyed hold, summed from their rows: per tenant, per host; also what
 * tenant/ and host/ ask of their servers.
 */
@ApplicationScoped
public class Allocations implements TenantServers, HostServers {
    private static final String SUMS = "count(v), coalesce(sum(v.memoryMib), 0), coalesce(sum(v.swapMib), 0), coalesce(sum(v.cpus), 0), "
            + "coalesce(sum(v.cpuWeight), 0), coalesce(sum(v.pids), 0), coalesce(sum(v.diskMib), 0)";

    @Inject
    EntityManager em;

    @Override
    public Allocation ofTenant(long tenantId) {
        return query("v.tenant.id = :id", tenantId);
    }

    /** What the host's servers hold, and the room held for those being moved to it. */
    @Override
    public Allocation onHost(long hostId) {
        return query("(v.host.id = :id or v.movingTo.id = :id)", hostId);
    }

    @Override
    public long withoutUserNamespace(long hostId) {
        return VirtualServer.withoutUserNamespaceOn(hostId).count();
    }

    /** Every host's allocation in one query, by host id, with the room held for servers being moved to it; hosts without servers are absent. */
    public Map<Long, Allocation> byHost() {
        return byHost("", Map.of());
    }

    /** Hosts named in one query at most; for more, every host is read (an IN list of tens of thousands passes the driver's limit). */
    static final int NAMED_AT_MOST = 1000;

    @Override
    public Map<Long, Allocation> onHosts(Collection<Long> hostIds) {
        if (hostIds.isEmpty()) {
            return Map.of();
        }
        return hostIds.size() > NAMED_AT_MOST ? byHost() : byHost(" and h.id in :ids", Map.of("ids", hostIds));
    }

    @Override
    public Map<Long, Long> withoutUserNamespace(Collection<Long> hostIds) {
        Map<Long, Long> byHost = new HashMap<>();
        if (hostIds.isEmpty()) {
            return byHost;
        }
        boolean named = hostIds.size() <= NAMED_AT_MOST;
        var query = em.createQuery("select v.host.id, count(v) from VirtualServer v where v.desiredState <> :destroyed "
                        + "and v.ownUserNamespace = false" + (named ? " and v.host.id in :ids" : "") + " group by v.host.id", Object[].class)
                .setParameter("destroyed", VirtualServer.Desired.destroyed);
        if (named) {
            query.setParameter("ids", hostIds);
        }
        query.getResultList().forEach(r -> byHost.put((Long) r[0], number(r[1])));
        return byHost;
    }

    private Map<Long, Allocation> byHost(String condition, Map<String, Object> parameters) {
        Map<Long, Allocation> byHost = new HashMap<>();
        var query = em.createQuery("select h.id, " + SUMS + " from VirtualServer v join Host h on h = v.host or h = v.movingTo "
                + "where v.desiredState <> :destroyed" + condition + " group by h.id", Object[].class)
                .setParameter("destroyed", VirtualServer.Desired.destroyed);
        parameters.forEach(query::setParameter);
        query.getResultList().forEach(r -> byHost.put((Long) r[0], of(r, 1)));
        return byHost;
    }

    private Allocation query(String where, long id) {
        Object[] row = (Object[]) em.createQuery("select " + SUMS + " from VirtualServer v where " + where + " and v.desiredState <> :destroyed")
                .setParameter("id", id).setParameter("destroyed", VirtualServer.Desired.destroyed).getSingleResult();
        return of(row, 0);
    }

    private static Allocation of(Object[] row, int first) {
        return new Allocation(number(row[first]), number(row[first + 1]), number(row[first + 2]), new BigDecimal(row[first + 3].toString()),
                number(row[first + 4]), number(row[first + 5]), number(row[first + 6]));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
