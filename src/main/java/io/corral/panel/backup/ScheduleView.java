package io.corral.panel.backup;

import java.time.OffsetDateTime;

/** A server's backup schedule and when it runs next. */
public record ScheduleView(BackupSchedule.Frequency frequency, int hour, Integer weekday, int retention, OffsetDateTime nextRunAt) {
    static ScheduleView of(BackupSchedule s) {
        return new ScheduleView(s.frequency, s.hour, s.weekday, s.retention, s.nextRunAt);
    }
}
