package io.corral.panel.backup;

import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Queues the scheduled backups that are due and deletes those past their schedule's retention. The schedules' rows are
 * claimed FOR UPDATE SKIP LOCKED, and a due one's next run moves on in the same transaction, so a run is queued once
 * however many panel instances look at the same time.
 */
@ApplicationScoped
public class BackupScheduler {
    /** Who the audit log and the operations name for scheduled backups. */
    static final String WHO = "backup-schedule";
    /** Schedules one transaction takes at most: a tick behind on many servers catches up over a few. */
    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(BackupScheduler.class);

    @Inject
    EntityManager em;
    @Inject
    BackupService backups;

    @Scheduled(every = "${corral.backups.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        int queued = runDue();
        int pruned = prune();
        if (queued + pruned > 0) {
            LOG.infof("scheduled backups: %d queued, %d past retention deleted", queued, pruned);
        }
    }

    /** Queues the due scheduled backups (of servers whose tenant is active and whose plan has room); returns how many. */
    @Transactional
    @ActivateRequestContext
    public int runDue() {
        OffsetDateTime now = OffsetDateTime.now();
        int queued = 0;
        for (BackupSchedule s : claim("select * from backup_schedule where next_run_at <= now() order by next_run_at")) {
            VirtualServer v = em.find(VirtualServer.class, s.serverId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (v.desiredState == VirtualServer.Desired.destroyed) {
                s.delete();
                continue;
            }
            s.nextRunAt = s.nextAfter(now);
            if (v.tenant.status == Tenant.Status.active && backups.scheduled(v, s.retention).isPresent()) {
                queued++;
            }
        }
        return queued;
    }

    /** Deletes the oldest scheduled backups of each server past its schedule's retention; returns how many. */
    @Transactional
    @ActivateRequestContext
    public int prune() {
        int pruned = 0;
        for (BackupSchedule s : claim("""
                select * from backup_schedule s where s.retention < (select count(*) from backup b
                    where b.server_id = s.server_id and b.scheduled and b.status = 'ready')""")) {
            List<Backup> newestFirst = Backup.scheduledOf(s.serverId);
            for (Backup b : newestFirst.subList(s.retention, newestFirst.size())) {
                if (!backups.beingRestored(b)) { // else at a later run
                    backups.deleting(b, null).requestedBy = WHO;
                    pruned++;
                }
            }
        }
        return pruned;
    }

    @SuppressWarnings("unchecked")
    private List<BackupSchedule> claim(String select) {
        return em.createNativeQuery(select + " limit " + BATCH + " for update skip locked", BackupSchedule.class).getResultList();
    }
}
