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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Daily partitions (UTC days) of the raw samples (host_sample, a row per host round): made ahead for the days samples may carry,
 * and dropped whole once past corral.usage.raw-retention, which costs nothing like a DELETE would.
 */
@ApplicationScoped
public class UsagePartitions {
    static final List<String> TABLES = List.of("host_sample");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** The advisory lock key of partition changes ("corral" "p" in ASCII). */
    private static final long PARTITION_LOCK = 0x636f7272616c70L;

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
        ensure(oldest, today.plusDays(2));
        dropBefore(oldest);
    }

    /** Partitions for every UTC day from first to last, both included. */
    public void ensure(LocalDate first, LocalDate last) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            lockPartitions(c, s);
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                for (String table : TABLES) {
                    s.execute("create table if not exists " + table + "_" + day.format(SUFFIX) + " partition of " + table
                            + " for values from ('" + day + " 00:00+00') to ('" + day.plusDays(1) + " 00:00+00')");
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not make usage partitions: " + e.getMessage(), e);
        }
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
            for (String table : TABLES) {
                try (ResultSet r = s.executeQuery("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
                        + "join pg_class p on p.oid = i.inhparent where p.relname = '" + table + "'")) {
                    while (r.next()) {
                        String name = r.getString(1);
                        LocalDate day = LocalDate.parse(name.substring(table.length() + 1), SUFFIX);
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
