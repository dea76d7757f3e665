package io.corral.panel.backup;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.JsonText;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Servers' backup schedules, read and set by whoever may see the server (another tenant's is not found). */
@ApplicationScoped
@Transactional
public class ScheduleService {
    @Inject
    ServerService servers;
    @Inject
    Audit audit;
    @Inject
    JsonText text;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ScheduleView> of(long serverId) {
        return BackupSchedule.<BackupSchedule>findByIdOptional(servers.get(serverId).id).map(ScheduleView::of);
    }

    /** Sets the server's schedule whole; its retention is bounded by the plan's backups per server. */
    public ScheduleView set(long serverId, ScheduleRequest r) {
        VirtualServer v = locked(serverId);
        BackupSchedule.Frequency frequency = BackupSchedule.Frequency.valueOf(r.frequency());
        if (frequency == BackupSchedule.Frequency.weekly && r.weekday() == null) {
            throw DomainException.invalid("weekday", Refusals::backup_schedule_weekday_missing);
        }
        if (frequency == BackupSchedule.Frequency.daily && r.weekday() != null) {
            throw DomainException.invalid("weekday", Refusals::backup_schedule_weekday_daily);
        }
        int most = v.tenant.plan.serverMaxBackups;
        if (r.retention() > most) {
            throw new DomainException(DomainException.Kind.QUOTA, "retention", words -> words.backup_schedule_retention(v.tenant.plan.name, most,
                    r.retention()));
        }
        BackupSchedule s = BackupSchedule.<BackupSchedule>findByIdOptional(v.id).orElseGet(() -> {
            BackupSchedule made = new BackupSchedule();
            made.serverId = v.id;
            return made;
        });
        s.frequency = frequency;
        s.hour = r.hour();
        s.weekday = r.weekday();
        s.retention = r.retention();
        s.nextRunAt = s.nextAfter(OffsetDateTime.now());
        s.persist();
        audit.record("server.backup_schedule", "server/" + v.id, text.of(r));
        return ScheduleView.of(s);
    }

    /**
     * The server, row-locked, after its schedule's row: the scheduler locks them in that order too, so a change of a
     * schedule and its run wait for each other instead of deadlocking.
     */
    private VirtualServer locked(long serverId) {
        BackupSchedule.findById(servers.get(serverId).id, LockModeType.PESSIMISTIC_WRITE);
        return servers.managed(serverId);
    }

    /** No more scheduled backups; those taken stay until deleted. */
    public void remove(long serverId) {
        VirtualServer v = locked(serverId);
        if (BackupSchedule.deleteById(v.id)) {
            audit.record("server.backup_schedule", "server/" + v.id, "removed");
        }
    }
}
