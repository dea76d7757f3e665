package io.corral.panel.billing;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DateRange;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.tenant.TenantService;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Billing exports, streamed: lines are read from PostgreSQL with a cursor and written as they come,
 * so memory does not grow with the export. Customers get their own tenant's lines only; admins and
 * billing systems any tenant's, or all.
 */
@ApplicationScoped
public class BillingService {
    static final Duration LONGEST = Duration.ofDays(366);
    private static final int FETCH = 1000;

    @Inject
    DataSource db;
    @Inject
    EntityManager em;
    @Inject
    CurrentUser user;
    @Inject
    TenantService tenants;
    @Inject
    Audit audit;

    /** What an export will contain, checked before anything is written. */
    public record Export(ExportFormat format, LocalDate from, LocalDate to, Long tenantId, boolean hourly, Long frozenPeriod) {
        public String contentType() {
            return format.contentType;
        }

        public String fileName() {
            return "corral-usage-" + from + "-" + to + (format == ExportFormat.focus ? "-focus.csv" : "." + (format == ExportFormat.json ? "json" : "csv"));
        }
    }

    @Transactional
    public Export plan(String format, LocalDate from, LocalDate to, Long tenantId, String granularity) {
        ExportFormat f;
        try {
            f = ExportFormat.valueOf(format == null ? "csv" : format);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("format", Refusals::billing_format);
        }
        if (from == null || to == null) {
            String missing = from == null ? "from" : "to";
            throw DomainException.invalid(missing, r -> r.billing_date_required(missing));
        }
        if (!from.isBefore(to)) {
            throw DomainException.invalid("to", Refusals::billing_to_before_from);
        }
        if (longerThanAnExport(from, to)) {
            throw DomainException.invalid("to", r -> r.billing_export_too_long(LONGEST.toDays()));
        }
        if (granularity != null && !granularity.equals("day") && !granularity.equals("hour")) {
            throw DomainException.invalid("granularity", Refusals::billing_granularity);
        }
        boolean hourly = "hour".equals(granularity);
        Long scope = scope(tenantId);
        Long frozen = hourly ? null : BillingPeriod.closed(from, to).map(p -> p.id).orElse(null);
        return new Export(f, from, to, scope, hourly, frozen);
    }

    private static boolean longerThanAnExport(LocalDate from, LocalDate to) {
        return Duration.between(from.atStartOfDay(), to.atStartOfDay()).compareTo(LONGEST) > 0;
    }

    /** The tenant whose lines the caller gets: customers only their own, whatever they ask for. */
    private Long scope(Long tenantId) {
        if (user.isAdmin() || user.isBilling()) {
            return tenantId;
        }
        long mine = tenants.mine().id;
        if (tenantId != null && tenantId != mine) {
            throw DomainException.notFound(r -> r.tenant_not_found(tenantId));
        }
        return mine;
    }

    public StreamingOutput stream(Export e) {
        Instant start = e.from().atStartOfDay(ZoneOffset.UTC).toInstant(), end = e.to().atStartOfDay(ZoneOffset.UTC).toInstant();
        return out -> {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
                try (PreparedStatement s = statement(c, e, start, end);
                     var writer = e.format().open(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)))) {
                    s.setFetchSize(FETCH);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            writer.write(BillingLine.of(r), start, end);
                        }
                    }
                } finally {
                    c.rollback();
                }
            } catch (SQLException ex) {
                throw new java.io.IOException("the export stopped: " + ex.getMessage(), ex);
            }
        };
    }

    private static PreparedStatement statement(Connection c, Export e, Instant start, Instant end) throws SQLException {
        long tenant = e.tenantId() == null ? 0 : e.tenantId();
        if (e.frozenPeriod() != null) {
            return bind(c, BillingLines.FROZEN, Map.of("?1", e.frozenPeriod(), "?2", tenant));
        }
        return bind(c, BillingLines.LIVE, Map.of("?1", Timestamp.from(start), "?2", Timestamp.from(end), "?3", tenant,
                "?4", e.hourly() ? "hour" : "day"));
    }

    /** Plain JDBC has only positional parameters: each numbered one (?1, ?2 ...) bound where it appears. */
    private static PreparedStatement bind(Connection c, String sql, Map<String, Object> values) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql.replaceAll("\\?\\d", "?"));
        List<String> order = Pattern.compile("\\?\\d").matcher(sql).results().map(MatchResult::group).toList();
        for (int i = 0; i < order.size(); i++) {
            s.setObject(i + 1, values.get(order.get(i)));
        }
        return s;
    }

    /** An amount in a currency (null where nothing was priced yet), to the currency's usual decimals. */
    public record Cost(java.math.BigDecimal amount, String currency) {
    }

    /** What a server has cost in the month (UTC) of the given day so far, by the same lines as the export. */
    public Cost costInMonth(long tenantId, long serverId, LocalDate day) {
        LocalDate first = day.withDayOfMonth(1);
        Export e = new Export(ExportFormat.csv, first, first.plusMonths(1), tenantId, false, null);
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        String currency = "";
        try (Connection c = db.getConnection(); PreparedStatement s = statement(c, e,
                first.atStartOfDay(ZoneOffset.UTC).toInstant(), first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                BillingLine line = BillingLine.of(r);
                if (line.serverId() == serverId) {
                    total = total.add(line.cost());
                    currency = line.currency();
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("could not price the server's usage: " + ex.getMessage(), ex);
        }
        return new Cost(total.setScale(decimals(currency), java.math.RoundingMode.HALF_UP), currency.isEmpty() ? null : currency);
    }

    /** A currency's usual decimals (0 for JPY), 2 for a code the JDK does not know. */
    private static int decimals(String currency) {
        try {
            return Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }

    /**
     * The server's traffic in the month (UTC) of the given day against its allowance, said as of the current
     * month, for its page and the usage API: what it sent, its allowance ({@link BillingLines#INCLUDED}) and what it sent beyond,
     * as the month's export lines add up to.
     */
    public TrafficMonth trafficInMonth(long serverId, LocalDate day, YearMonth current) {
        LocalDate first = day.withDayOfMonth(1);
        Map<String, Object> values = Map.of("?1", serverId, "?2", Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant()),
                "?3", Timestamp.from(first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        try (Connection c = db.getConnection(); PreparedStatement s = bind(c, TRAFFIC_IN_MONTH, values); ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw DomainException.notFound(words -> words.server_not_found(serverId));
            }
            BigDecimal overage = r.getBigDecimal(3);
            return TrafficMonth.of(YearMonth.from(first), current, r.getBigDecimal(2), r.getBigDecimal(1), r.getObject(6, Long.class),
                    overage, overage.multiply(r.getBigDecimal(4)).setScale(6, RoundingMode.HALF_UP), r.getString(5));
        } catch (SQLException ex) {
            throw new IllegalStateException("could not read the server's traffic: " + ex.getMessage(), ex);
        }
    }

    /**
     * ?1 the server, [?2, ?3) its month: included GiB (null: unmetered), sent GiB, GiB beyond, the plan's price, currency and
     * allowance for a whole month.
     */
    private static final String TRAFFIC_IN_MONTH = """
            select q.included_gib, round(q.sent_gib, 6),
                   round(case when q.included_gib is null then 0 else greatest(0, q.sent_gib - q.included_gib) end, 6),
                   q.price_traffic_overage_gib, q.currency, q.server_included_traffic_gib
            from (select p.currency, p.price_traffic_overage_gib, p.server_included_traffic_gib, """ + BillingLines.INCLUDED + """
             as included_gib,
                         coalesce((select sum(h.network_out_bytes) from usage_hour h where h.server_id = v.id
                             and h.hour >= ?2 and h.hour < ?3), 0) / 1073741824.0 as sent_gib
                  from virtual_server v join tenant t on t.id = v.tenant_id join plan p on p.id = t.plan_id
                  cross join (select cast(?2 as timestamptz) at time zone 'UTC' as month) m
                  """ + BillingLines.ENDED + """

                  where v.id = ?1) q""";

    /** Newest first. */
    public List<PeriodView> periods() {
        return BillingPeriod.<BillingPeriod>listAll(Sort.descending("startsOn")).stream().map(PeriodView::of).toList();
    }

    @Transactional
    public BillingPeriod open(PeriodRequest r) {
        DateRange.check("startsOn", r.startsOn());
        DateRange.check("endsOn", r.endsOn());
        if (!r.startsOn().isBefore(r.endsOn())) {
            throw DomainException.invalid("endsOn", Refusals::billing_ends_before_starts);
        }
        if (longerThanAnExport(r.startsOn(), r.endsOn())) {
            throw DomainException.invalid("endsOn", words -> words.billing_period_too_long(LONGEST.toDays()));
        }
        if (BillingPeriod.count("startsOn = ?1 and endsOn = ?2", r.startsOn(), r.endsOn()) > 0) {
            throw DomainException.conflict(words -> words.billing_period_exists(r.startsOn().toString(), r.endsOn().toString()));
        }
        BillingPeriod p = new BillingPeriod();
        p.startsOn = r.startsOn();
        p.endsOn = r.endsOn();
        p.persist();
        audit.record("billing.period.open", "period/" + p.id, p.startsOn + " to " + p.endsOn);
        return p;
    }

    /** Freezes the period's daily lines as the ledger has them now; exports of it read those from then on. */
    @Transactional
    public BillingPeriod close(long id) {
        BillingPeriod p = em.find(BillingPeriod.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (p == null) {
            throw DomainException.notFound(r -> r.billing_period_not_found(id));
        }
        if (p.closedAt != null) {
            throw DomainException.conflict(r -> r.billing_period_closed(id, p.closedAt.toString()));
        }
        String insert = "insert into billing_line (period_id, charge_start, charge_end, tenant_id, tenant_slug, tenant_name, "
                + "server_id, hostname, plan_name, memory_mib, cpus, disk_mib, billed_hours, cpu_core_hours, memory_gib_hours, "
                + "disk_gib_hours, network_gib, uptime_hours, base_cost, resource_cost, cost, currency, traffic_out_gib, "
                + "traffic_included_gib, traffic_overage_gib, traffic_overage_cost, snapshot_gib_hours, backup_gib_hours, storage_cost) "
                + "select ?5, q.* from ("
                + BillingLines.LIVE + ") q";
        em.createNativeQuery(insert).setParameter(1, Timestamp.from(p.startsOn.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .setParameter(2, Timestamp.from(p.endsOn.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .setParameter(3, 0L).setParameter(4, "day").setParameter(5, p.id).executeUpdate();
        p.closedAt = OffsetDateTime.now();
        audit.record("billing.period.close", "period/" + p.id, p.startsOn + " to " + p.endsOn);
        return p;
    }
}
