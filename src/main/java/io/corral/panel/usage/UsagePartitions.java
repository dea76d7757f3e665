package io.corral.panel.usage;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Daily partitions (UTC days) of the raw samples (host_rounds, a row per host's rounds taken together): made ahead for the days samples may carry,
 * and dropped whole once past corral.usage.raw-retention, which costs nothing like a DELETE would.
 */
@ApplicationScoped
public class UsagePartitions {
    /** The raw samples' table, a partition a day named table_yyyyMMdd. */
    static final String TABLE = "host_rounds";
    /** Tables whose old days are dropped: the raw samples', and those of before V33 and V27 (their partitions keep their names). */
    static final List<String> DROPPED = List.of(TABLE, "host_sample_before_v33", "usage_sample_before_v27");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** The advisory lock key of partition changes ("corral" "p" in ASCII). */
    private static final long PARTITION_LOCK = 0x636f7272616c70L;

    /** Days whose partitions exist and no maintenance drops before oldestKept() passes them. */
    private final Set<LocalDate> made = ConcurrentHashMap.newKeySet();
    @Inject
    DataSource db;
    @Inject
    UsageConfig config;

    void onStart(@Observes StartupEvent start) {
        maintain();
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void maintain() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate oldest = today.minusDays(config.rawRetention().toDays() + 1);
        made.removeIf(day -> day.isBefore(oldestKept()));
        ensure(oldest, today.plusDays(2));
        dropBefore(oldest);
    }

    /**
     * Partitions for every UTC day from first to last, both included. Days this panel made or found are remembered, so an
     * ingestion does not take the lock and ask for them again (it did for every host, one at a time across all rounds'
     * threads); a day the hourly maintenance may drop is asked for every time.
     */
    public void ensure(LocalDate first, LocalDate last) {
        LocalDate kept = oldestKept();
        if (!first.isBefore(kept) && first.datesUntil(last.plusDays(1)).allMatch(made::contains)) {
            return;
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            lockPartitions(c, s);
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                s.execute("create table if not exists " + TABLE + "_" + day.format(SUFFIX) + " partition of " + TABLE
                        + " for values from ('" + day + " 00:00+00') to ('" + day.plusDays(1) + " 00:00+00')");
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not make usage partitions: " + e.getMessage(), e);
        }
        first.datesUntil(last.plusDays(1)).filter(day -> !day.isBefore(kept)).forEach(made::add);
    }

    /**
     * Whether a round sampled at this instant is kept: from the first day no maintenance drops to a day ahead of now. A
     * host's clock far off (reset to 1970, or days ahead) must neither make partitions for every day between nor stop
     * its ingestion; its rounds outside are skipped.
     */
    public boolean keeps(Instant at) {
        return !at.isBefore(oldestKept().atStartOfDay(ZoneOffset.UTC).toInstant()) && at.isBefore(Instant.now().plus(Duration.ofDays(1)));
    }

    /** The first day no maintenance drops today: days from a day after the cut on (the cut's own day may be dropped by another panel). */
    private LocalDate oldestKept() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(config.rawRetention().toDays());
    }

    /**
     * "create table if not exists" is not safe against a concurrent one (the start-up, the hourly
     * maintenance, ingestion, another panel): both see no table and the second fails. One transaction
     * at a time makes or drops partitions, behind a lock held until it ends.
     */
    private static void lockPartitions(Connection c, Statement s) throws SQLException {
        c.setAutoCommit(false);
        s.execute("select pg_advisory_xact_lock(" + PARTITION_LOCK + ")");
    }

    private void dropBefore(LocalDate cut) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            lockPartitions(c, s);
            List<String> old = new ArrayList<>();
            for (String table : DROPPED) {
                try (ResultSet r = s.executeQuery("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
                        + "join pg_class p on p.oid = i.inhparent where p.relname = '" + table + "'")) {
                    while (r.next()) {
                        String name = r.getString(1);
                        LocalDate day = LocalDate.parse(name.substring(name.length() - 8), SUFFIX);
                        if (day.isBefore(cut)) {
                            old.add(name);
                        }
                    }
                }
            }
            for (String name : old) {
                s.execute("drop table if exists " + name);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop old usage partitions: " + e.getMessage(), e);
        }
    }
}
