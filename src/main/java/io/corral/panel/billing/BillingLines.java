package io.corral.panel.billing;

/**
 * The one definition of a billing line: a server's use in a day (or hour) from the usage ledger,
 * with its allocation and its plan's prices. Cost is the plan's monthly prices (per server, per GiB
 * of memory, per CPU, per GiB of disk allocated) prorated by the hours the server was metered in
 * that day over the hours of its month, plus its traffic beyond what the plan includes and its storage. Measured use
 * is reported beside it; network GiB is what the server received and sent together. Numbers are
 * rounded to six decimals here, so a line reads the same wherever it is written.
 *
 * Storage: the GiB-hours the server's snapshots and backups took in the ledger's hours (usage/StorageMeter), each at its
 * plan's price per GiB-month over the hours of the month. An hour with storage only (a stopped server's snapshots, a
 * destroyed one's backups) has no samples and is not a billed hour: it costs its storage alone.
 *
 * Traffic: only what the server sends counts. Its allowance is per calendar month (UTC), the same on
 * each of its lines in that month ({@link #INCLUDED}); its lines count the month's traffic in order,
 * so the line in which the month's running total passes the allowance carries the part beyond it
 * and later lines all they sent. The lines of a month thus charge exactly (sent - included) x price
 * when it is positive, however the month is cut into periods: the ledger is read from the start of
 * the first line's month, so an export from the middle of a month counts what was sent before it.
 * An unmetered plan (no allowance) charges none.
 *
 * "offset 0" keeps PostgreSQL from pulling priced and charged up into the select: pulled up, each use
 * of a column computed there computes it again (the allowance nine times a line), which made the
 * query 1.7 times as slow as without traffic; kept, 1.1 times.
 *
 * Parameters: ?1 start, ?2 end (timestamptz), ?3 tenant id or 0 for all, ?4 'day' or 'hour'.
 */
final class BillingLines {
    /**
     * A server's included traffic in the month starting at {@code month} (timestamp, UTC), GiB: its plan's
     * allowance pro rata over the part of the month from the hour it was ordered until its destroy
     * completed on its host; null for an unmetered plan. Reads the plan p, the server v and d.ended
     * ({@link #ENDED}).
     */
    static final String INCLUDED = """
            round((p.server_included_traffic_gib
                * greatest(0, extract(epoch from least(month + interval '1 month', d.ended at time zone 'UTC')
                    - greatest(month, date_trunc('hour', v.created_at at time zone 'UTC'))))
                / extract(epoch from (month + interval '1 month') - month))::numeric, 6)""";

    /**
     * When the server v's destroy completed (d.ended; null while it exists). A join on the destroys, not a
     * subquery per line: an export has a line per server per day or hour, and PostgreSQL pushes a single
     * server's id down into it.
     */
    static final String ENDED = """
            left join (select o.server_id, max(o.finished_at) as ended from operation o
                where o.kind = 'destroy' and o.status = 'succeeded' group by o.server_id) d on d.server_id = v.id""";

    static final String LIVE = """
            with use as (
                select h.server_id, h.tenant_id, date_trunc(?4, h.hour at time zone 'UTC') at time zone 'UTC' as charge_start,
                       count(*) filter (where h.samples > 0) as billed_hours, sum(h.cpu_seconds) / 3600 as cpu_core_hours,
                       sum(h.memory_gib_hours) as memory_gib_hours, sum(h.disk_gib_hours) as disk_gib_hours,
                       sum(h.uptime_hours) as uptime_hours,
                       sum(h.snapshot_gib_hours) as snapshot_gib_hours, sum(h.backup_gib_hours) as backup_gib_hours,
                       sum(h.network_in_bytes + h.network_out_bytes) / 1073741824.0 as network_gib,
                       sum(h.network_out_bytes) / 1073741824.0 as traffic_out_gib
                from usage_hour h
                where h.hour >= date_trunc('month', cast(?1 as timestamptz) at time zone 'UTC') at time zone 'UTC' and h.hour < ?2
                  and (?3 = 0 or h.tenant_id = ?3)
                group by h.server_id, h.tenant_id, 3
            ), counted as (
                select u.*, date_trunc('month', u.charge_start at time zone 'UTC') as month,
                       sum(u.traffic_out_gib) over (partition by u.server_id, date_trunc('month', u.charge_start at time zone 'UTC')
                           order by u.charge_start) as month_out_gib
                from use u
            ), priced as (
                select u.*, t.slug as tenant_slug, t.name as tenant_name, v.hostname, p.name as plan_name,
                       v.memory_mib, v.cpus, v.disk_mib, p.currency,
                       u.billed_hours / (24.0 * extract(day from (u.month + interval '1 month' - interval '1 day'))) as month_share,
                       24.0 * extract(day from (u.month + interval '1 month' - interval '1 day')) as month_hours,
                       p.price_snapshot_gib_month, p.price_backup_gib_month,
                       p.price_server_month, p.price_memory_gib_month, p.price_cpu_month, p.price_disk_gib_month,
                       p.price_traffic_overage_gib, """ + INCLUDED + """
             as included_gib
                from counted u join tenant t on t.id = u.tenant_id join virtual_server v on v.id = u.server_id
                join plan p on p.id = t.plan_id
                """ + ENDED + """

                where u.charge_start >= ?1
                offset 0
            ), charged as (
                select q.*, round((price_server_month * month_share)::numeric, 6) as base_cost,
                       round(((memory_mib / 1024.0 * price_memory_gib_month + cpus * price_cpu_month
                           + disk_mib / 1024.0 * price_disk_gib_month) * month_share)::numeric, 6) as resource_cost,
                       round(((snapshot_gib_hours * price_snapshot_gib_month + backup_gib_hours * price_backup_gib_month)
                           / month_hours)::numeric, 6) as storage_cost,
                       round(case when included_gib is null then 0
                           else greatest(0, month_out_gib - included_gib) - greatest(0, month_out_gib - traffic_out_gib - included_gib)
                           end, 6) as traffic_overage_gib
                from priced q
                offset 0
            )
            select charge_start,
                   charge_start + case when ?4 = 'hour' then interval '1 hour' else interval '1 day' end as charge_end,
                   tenant_id, tenant_slug, tenant_name, server_id, hostname, plan_name, memory_mib, cpus, disk_mib,
                   billed_hours::integer as billed_hours,
                   round(cpu_core_hours::numeric, 6) as cpu_core_hours, round(memory_gib_hours::numeric, 6) as memory_gib_hours,
                   round(disk_gib_hours::numeric, 6) as disk_gib_hours, round(network_gib::numeric, 6) as network_gib,
                   round(uptime_hours::numeric, 6) as uptime_hours, base_cost, resource_cost,
                   base_cost + resource_cost + round(traffic_overage_gib * price_traffic_overage_gib, 6) + storage_cost as cost, currency,
                   round(traffic_out_gib::numeric, 6) as traffic_out_gib, included_gib as traffic_included_gib, traffic_overage_gib,
                   round(traffic_overage_gib * price_traffic_overage_gib, 6) as traffic_overage_cost,
                   round(snapshot_gib_hours::numeric, 6) as snapshot_gib_hours, round(backup_gib_hours::numeric, 6) as backup_gib_hours,
                   storage_cost
            from charged
            order by charge_start, tenant_slug, server_id""";

    /** A closed period's frozen lines, in the same columns and order. */
    static final String FROZEN = """
            select charge_start, charge_end, tenant_id, tenant_slug, tenant_name, server_id, hostname, plan_name, memory_mib,
                   cpus, disk_mib, billed_hours, cpu_core_hours, memory_gib_hours, disk_gib_hours, network_gib, uptime_hours,
                   base_cost, resource_cost, cost, currency, traffic_out_gib, traffic_included_gib, traffic_overage_gib,
                   traffic_overage_cost, snapshot_gib_hours, backup_gib_hours, storage_cost
            from billing_line where period_id = ?1 and (?2 = 0 or tenant_id = ?2)
            order by charge_start, tenant_slug, server_id""";

    private BillingLines() {
    }
}
