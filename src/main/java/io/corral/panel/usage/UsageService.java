package io.corral.panel.usage;

import static io.corral.panel.common.SqlValues.toDouble;
import static io.corral.panel.common.SqlValues.toLong;
import static io.corral.panel.common.SqlValues.utc;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.server.ServerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A server's usage from the ledger, for whoever may see the server. */
@ApplicationScoped
public class UsageService {
    static final Duration LONGEST = Duration.ofDays(62);
    private static final String COLUMNS = """
            sum(cpu_seconds) / 3600, sum(memory_gib_hours), sum(disk_gib_hours), sum(uptime_hours),
            sum(oom_kills), sum(throttled_seconds), sum(pids_limit_hits), max(memory_peak_bytes),
            sum(cpu_stall_seconds), sum(memory_stall_seconds), sum(io_stall_seconds), sum(observed_hours),
            sum(network_in_bytes), sum(network_out_bytes)""";

    @Inject
    EntityManager em;
    @Inject
    ServerService servers;

    /** The ledger's hours of the server in [from, to). */
    public List<UsageHour> hours(long serverId, Instant from, Instant to) {
        check(serverId, from, to);
        List<Object[]> rows = em.createNativeQuery("select hour, " + COLUMNS + " from usage_hour where server_id = ?1"
                        + " and hour >= ?2 and hour < ?3 group by hour order by hour", Object[].class)
                .setParameter(1, serverId).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        return rows.stream().map(r -> row(utc(r[0]), r, 1)).toList();
    }

    /** The server's usage since the start of this month (UTC). */
    public UsageHour monthToDate(long serverId) {
        OffsetDateTime month = OffsetDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).withHour(0).withMinute(0).withSecond(0).withNano(0);
        Object[] r = (Object[]) em.createNativeQuery("select " + COLUMNS + " from usage_hour where server_id = ?1 and hour >= ?2",
                Object[].class).setParameter(1, serverId).setParameter(2, Timestamp.from(month.toInstant())).getSingleResult();
        return row(month, r, 0);
    }

    private void check(long serverId, Instant from, Instant to) {
        servers.get(serverId); // 404 for a server the caller may not see
        if (!from.isBefore(to)) {
            throw DomainException.invalid("from", Refusals::usage_from_after_to);
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw DomainException.invalid("to", r -> r.usage_period_too_long(LONGEST.toDays()));
        }
    }

    private static UsageHour row(OffsetDateTime hour, Object[] r, int first) {
        return new UsageHour(hour, toDouble(r[first]), toDouble(r[first + 1]), toDouble(r[first + 2]), toDouble(r[first + 3]), toLong(r[first + 4]),
                toDouble(r[first + 5]), toLong(r[first + 6]), toLong(r[first + 7]), toDouble(r[first + 8]), toDouble(r[first + 9]), toDouble(r[first + 10]),
                toDouble(r[first + 11]), toLong(r[first + 12]), toLong(r[first + 13]));
    }

}
