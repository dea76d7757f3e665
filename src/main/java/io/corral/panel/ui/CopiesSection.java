package io.corral.panel.ui;

import io.corral.panel.backup.BackupView;
import io.corral.panel.backup.ScheduleView;
import io.corral.panel.snapshot.SnapshotView;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * The snapshots and backups section of a server's page: its copies as rows to read, its backup schedule in words (null
 * without one) and what the schedule's form starts with (the schedule's, or daily at 03:00 keeping 7).
 */
public record CopiesSection(List<Row> snapshots, List<Row> backups, String scheduleWords, boolean weekly, List<Day> days, int hour,
                            int retention) {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    /** One snapshot or backup: when, its status, the disk's size and what it takes, the pause, and for a backup how much was new. */
    public record Row(String id, String when, String status, boolean ready, String diskSize, String stored, String pause, String detail) {
    }

    /** A weekday of the schedule's form: 1 Monday to 7 Sunday. */
    public record Day(int value, String name, boolean selected) {
    }

    static CopiesSection of(List<SnapshotView> snapshots, List<BackupView> backups, ScheduleView schedule) {
        List<Day> days = java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(d -> new Day(d,
                DayOfWeek.of(d).getDisplayName(TextStyle.FULL, Locale.ENGLISH), schedule != null && Integer.valueOf(d).equals(schedule.weekday())))
                .toList();
        return new CopiesSection(snapshots.stream().map(CopiesSection::row).toList(), backups.stream().map(CopiesSection::row).toList(),
                schedule == null ? null : words(schedule), schedule != null && schedule.weekday() != null, days,
                schedule == null ? 3 : schedule.hour(), schedule == null ? 7 : schedule.retention());
    }

    private static Row row(SnapshotView s) {
        return new Row(s.id(), when(s.takenAt() != null ? s.takenAt() : s.createdAt()), s.status().name(), s.status().name().equals("ready"),
                mib(s.diskBytes()), mib(s.storedBytes()), s.pauseMillis() == null ? "—" : s.pauseMillis() + " ms",
                s.error() != null ? s.error() : "");
    }

    private static Row row(BackupView b) {
        String detail = b.error() != null ? b.error()
                : b.chunks() == null ? "" : b.newChunks() + " of " + b.chunks() + " chunks new" + (b.scheduled() ? ", scheduled" : "");
        return new Row(b.id(), when(b.takenAt() != null ? b.takenAt() : b.createdAt()), b.status().name(), b.status().name().equals("ready"),
                mib(b.diskBytes()), mib(b.storedBytes()), b.pauseMillis() == null ? "—" : b.pauseMillis() + " ms", detail);
    }

    private static String words(ScheduleView s) {
        String at = String.format("%02d:00 UTC", s.hour());
        String days = s.weekday() == null ? "Every day" : "Every " + DayOfWeek.of(s.weekday()).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        return days + " at " + at + ", keeping the last " + s.retention() + "; next " + when(s.nextRunAt());
    }

    static String when(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(WHEN);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "—" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
