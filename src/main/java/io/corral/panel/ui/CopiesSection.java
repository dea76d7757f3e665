package io.corral.panel.ui;

import io.corral.panel.backup.BackupView;
import io.corral.panel.backup.ScheduleView;
import io.corral.panel.snapshot.SnapshotView;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The snapshots and backups section of a server's page (tags/copies.html words it): its copies as rows, its backup schedule
 * (null without one) and what the schedule's form starts with (the schedule's, or daily at 03:00 keeping 7).
 */
public record CopiesSection(List<Row> snapshots, List<Row> backups, Schedule schedule, boolean weekly, List<Day> days, int hour,
                            int retention) {
    /** A snapshot's or a backup's status (the two have the same). */
    public enum Status { pending, ready, deleting, deleted, failed }

    /**
     * One snapshot or backup: when it was taken (asked for, until it is), its status, the disk's size and what the copy takes in
     * MiB and the server's pause (null until taken), why it failed, and for a backup its chunks with data, how many it wrote new
     * and whether the schedule made it.
     */
    public record Row(String id, OffsetDateTime at, Status status, Double diskMiB, Double storedMiB, Long pauseMillis, String error,
                      Long chunks, Long newChunks, boolean scheduled) {
        public boolean ready() {
            return status == Status.ready;
        }
    }

    /** The backup schedule: day null for every day; at, its hour in UTC as a clock shows it (05:00); the next run. */
    public record Schedule(DayOfWeek day, String at, int retention, OffsetDateTime next) {
    }

    /** A weekday of the schedule's form. */
    public record Day(DayOfWeek day, boolean selected) {
        /** The form's value: 1 Monday to 7 Sunday. */
        public int value() {
            return day.getValue();
        }
    }

    static CopiesSection of(List<SnapshotView> snapshots, List<BackupView> backups, ScheduleView schedule) {
        List<Day> days = IntStream.rangeClosed(1, 7).mapToObj(d -> new Day(DayOfWeek.of(d),
                schedule != null && Integer.valueOf(d).equals(schedule.weekday()))).toList();
        return new CopiesSection(snapshots.stream().map(CopiesSection::row).toList(), backups.stream().map(CopiesSection::row).toList(),
                schedule == null ? null : schedule(schedule), schedule != null && schedule.weekday() != null, days,
                schedule == null ? 3 : schedule.hour(), schedule == null ? 7 : schedule.retention());
    }

    private static Schedule schedule(ScheduleView s) {
        return new Schedule(s.weekday() == null ? null : DayOfWeek.of(s.weekday()), String.format("%02d:00", s.hour()), s.retention(),
                s.nextRunAt());
    }

    private static Row row(SnapshotView s) {
        return new Row(s.id(), s.takenAt() != null ? s.takenAt() : s.createdAt(), Status.valueOf(s.status().name()), mib(s.diskBytes()),
                mib(s.storedBytes()), s.pauseMillis(), s.error(), null, null, false);
    }

    private static Row row(BackupView b) {
        return new Row(b.id(), b.takenAt() != null ? b.takenAt() : b.createdAt(), Status.valueOf(b.status().name()), mib(b.diskBytes()),
                mib(b.storedBytes()), b.pauseMillis(), b.error(), b.chunks(), b.newChunks(), b.scheduled());
    }

    private static Double mib(Long bytes) {
        return bytes == null ? null : bytes / 1048576.0;
    }
}
