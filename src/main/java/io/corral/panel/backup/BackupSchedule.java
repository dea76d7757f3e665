package io.corral.panel.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** A server's backup schedule: daily at an hour (UTC), or weekly on a weekday at an hour, keeping its last retention backups. */
@Entity
public class BackupSchedule extends PanacheEntityBase {
    public enum Frequency { daily, weekly }

    @Id
    public Long serverId;
    @Enumerated(EnumType.STRING)
    public Frequency frequency;
    public int hour;
    /** 1 Monday to 7 Sunday, for a weekly one; null for a daily one. */
    public Integer weekday;
    public int retention;
    public OffsetDateTime nextRunAt;

    /** The first time the schedule comes due after the given one. */
    OffsetDateTime nextAfter(OffsetDateTime after) {
        OffsetDateTime at = after.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).withHour(hour);
        if (frequency == Frequency.weekly) {
            at = at.with(TemporalAdjusters.nextOrSame(DayOfWeek.of(weekday)));
            return at.isAfter(after) ? at : at.plusWeeks(1);
        }
        return at.isAfter(after) ? at : at.plusDays(1);
    }
}
