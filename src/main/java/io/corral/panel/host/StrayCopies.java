package io.corral.panel.host;

import io.corral.panel.common.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of servers that a host still holds but may not run (V25 stray_copy): an evacuated server's old copy on the
 * host it was evacuated from, a moved server's stopped copy that its old host could not remove. The heartbeat removes
 * each when that host answers again.
 */
@ApplicationScoped
@Transactional
public class StrayCopies {
    @Inject
    EntityManager em;

    /**
     * The server's copy on the host is to be removed when that host answers, once the operation awaited (if any: an
     * evacuation's restore, without which the copy may hold the only newer data) has succeeded.
     */
    public void record(long serverId, long hostId, String reason, Long awaitsOperationId) {
        em.createNativeQuery("""
                insert into stray_copy (server_id, host_id, reason, awaits_operation_id) values (?1, ?2, ?3, ?4)
                on conflict (host_id, server_id) do update set reason = excluded.reason, awaits_operation_id = excluded.awaits_operation_id""")
                .setParameter(1, serverId).setParameter(2, hostId).setParameter(3, reason).setParameter(4, awaitsOperationId).executeUpdate();
    }

    /**
     * For each of the hosts, the servers whose copies on it are to be removed now (none: an empty list): those awaiting no
     * operation, or one that succeeded.
     */
    @SuppressWarnings("unchecked")
    public Map<Long, List<Long>> on(Collection<Long> hostIds) {
        Map<Long, List<Long>> copies = new HashMap<>();
        hostIds.forEach(id -> copies.put(id, new ArrayList<>()));
        ((List<Object[]>) em.createNativeQuery("""
                select s.host_id, s.server_id from stray_copy s left join operation o on o.id = s.awaits_operation_id
                where s.host_id = any(cast(?1 as bigint[])) and (s.awaits_operation_id is null or o.status = 'succeeded')
                order by s.server_id""", Object[].class).setParameter(1, SqlValues.bigintArray(hostIds)).getResultList())
                .forEach(c -> copies.get(SqlValues.toLong(c[0])).add(SqlValues.toLong(c[1])));
        return copies;
    }

    /**
     * Removes the server's copy from the host through remove, unless the server has come back to that host meanwhile
     * (placed there, or being moved there: then the copy may be its own), and forgets the stray. Under the server's row
     * lock, which placing or moving it takes, so it cannot come back while remove runs. A remove that fails keeps the
     * stray for the next try.
     */
    public void removeUnlessBack(long serverId, long hostId, Runnable remove) {
        boolean elsewhere = !em.createNativeQuery("""
                select 1 from virtual_server where id = ?1 and host_id <> ?2 and (moving_to_host_id is null or moving_to_host_id <> ?2)
                for share""").setParameter(1, serverId).setParameter(2, hostId).getResultList().isEmpty();
        if (elsewhere) {
            remove.run();
        }
        removed(serverId, hostId);
    }

    /** The copy is gone from the host (removed, or the host no longer had it). */
    public void removed(long serverId, long hostId) {
        em.createNativeQuery("delete from stray_copy where server_id = ?1 and host_id = ?2").setParameter(1, serverId)
                .setParameter(2, hostId).executeUpdate();
    }
}
