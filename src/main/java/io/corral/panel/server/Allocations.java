package io.corral.panel.server;

import io.corral.panel.common.SqlValues;
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
 * What the servers that are not destroyed hold: per tenant and per host summed from their rows, for every host at once as
 * the database keeps it; also what tenant/ and host/ ask of their servers.
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

    /**
     * Every host's allocation in one query, by host id, with the room held for servers being moved to it: the sums the
     * database keeps (host_allocation, migration V34), not a sum over every server; hosts that never held a server are
     * absent. For choosing and showing: the check that a host has room sums its servers' rows ({@link #onHost}).
     */
    public Map<Long, Allocation> byHost() {
        return kept("", null);
    }

    @Override
    public Map<Long, Allocation> onHosts(Collection<Long> hostIds) {
        return hostIds.isEmpty() ? Map.of() : kept(" where host_id = any(cast(?1 as bigint[]))", SqlValues.bigintArray(hostIds));
    }

    @Override
    public Map<Long, Long> withoutUserNamespace(Collection<Long> hostIds) {
        Map<Long, Long> byHost = new HashMap<>();
        if (hostIds.isEmpty()) {
            return byHost;
        }
        em.createNativeQuery("select host_id, count(*) from virtual_server where desired_state <> 'destroyed' and not own_user_namespace "
                        + "and host_id = any(cast(?1 as bigint[])) group by host_id", Object[].class)
                .setParameter(1, SqlValues.bigintArray(hostIds))
                .getResultList().forEach(r -> byHost.put(SqlValues.toLong(((Object[]) r)[0]), SqlValues.toLong(((Object[]) r)[1])));
        return byHost;
    }

    /** A host's kept allocation is its host_allocation row and the changes not yet folded into it (AllocationFold). */
    private Map<Long, Allocation> kept(String where, Long[] ids) {
        String columns = "host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib";
        var query = em.createNativeQuery("select host_id, sum(servers), sum(memory_mib), sum(swap_mib), sum(cpus), sum(cpu_weight), "
                + "sum(pids), sum(disk_mib) from (select " + columns + " from host_allocation" + where
                + " union all select " + columns + " from host_allocation_change" + where + ") a group by host_id", Object[].class);
        if (ids != null) {
            query.setParameter(1, ids);
        }
        Map<Long, Allocation> byHost = new HashMap<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            byHost.put(SqlValues.toLong(r[0]), of(r, 1));
        }
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
