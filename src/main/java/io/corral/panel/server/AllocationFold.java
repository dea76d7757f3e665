package io.corral.panel.server;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Folds the changes of servers the database noted (host_allocation_change, migration V34) into each host's kept
 * allocation, so that reading every host's allocation reads a row per host and the few changes since. One panel
 * folds at a time; a change not yet committed stays for the next fold.
 */
@ApplicationScoped
public class AllocationFold {
    /** The advisory lock key of folds ("corral" "A" in ASCII). */
    private static final long FOLD_LOCK = 0x636f7272616c41L;

    @Inject
    EntityManager em;

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void onSchedule() {
        fold();
    }

    /** The number of changes folded; none when another panel is folding. */
    @Transactional
    public int fold() {
        if (!(Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + FOLD_LOCK + ")").getSingleResult()) {
            return 0;
        }
        return ((Number) em.createNativeQuery("""
                with folded as (delete from host_allocation_change returning *),
                     sums as (select host_id, sum(servers) as servers, sum(memory_mib) as memory_mib, sum(swap_mib) as swap_mib,
                                     sum(cpus) as cpus, sum(cpu_weight) as cpu_weight, sum(pids) as pids, sum(disk_mib) as disk_mib,
                                     count(*) as changes
                              from folded group by host_id),
                     kept as (insert into host_allocation (host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib)
                              select host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib from sums
                              on conflict (host_id) do update set servers = host_allocation.servers + excluded.servers,
                                  memory_mib = host_allocation.memory_mib + excluded.memory_mib,
                                  swap_mib = host_allocation.swap_mib + excluded.swap_mib, cpus = host_allocation.cpus + excluded.cpus,
                                  cpu_weight = host_allocation.cpu_weight + excluded.cpu_weight, pids = host_allocation.pids + excluded.pids,
                                  disk_mib = host_allocation.disk_mib + excluded.disk_mib)
                select coalesce(sum(changes), 0) from sums""").getSingleResult()).intValue();
    }
}
