package io.corral.panel.billing;

/**
 * The one definition of a billing line: a server's use in a day (or hour) from the usage ledger,
 * with its allocation and its plan's prices. Cost is the plan's monthly prices (per server, per GiB
 * of memory, per CPU, per GiB of disk allocated) prorated by the hours the server was metered in
 * that day over the hours of its month. Measured use is reported beside it; network GiB is what the
 * server received and sent together. Numbers are rounded to
 * six decimals here, so a line reads the same wherever it is written.
 *
 * Parameters: ?1 start, ?2 end (timestamptz), ?3 tenant id or 0 for all, ?4 'day' or 'hour'.
 */
final class BillingLines {
    static final String LIVE = """
            with use as (
                select h.server_id, h.tenant_id, date_trunc(?4, h.hour at time zone 'UTC') at time zone 'UTC' as charge_start,
                       count(*) as billed_hours, sum(h.cpu_seconds) / 3600 as cpu_core_hours,
                       sum(h.memory_gib_hours) as memory_gib_hours, sum(h.disk_gib_hours) as disk_gib_hours,
                       sum(h.uptime_hours) as uptime_hours,
                       sum(h.network_in_bytes + h.network_out_bytes) / 1073741824.0 as network_gib
                from usage_hour h
                where h.hour >= ?1 and h.hour < ?2 and (?3 = 0 or h.tenant_id = ?3)
                group by h.server_id, h.tenant_id, 3
            ), priced as (
                select u.*, t.slug as tenant_slug, t.name as tenant_name, v.hostname, p.name as plan_name,
                       v.memory_mib, v.cpus, v.disk_mib, p.currency,
                       u.billed_hours / (24.0 * extract(day from (date_trunc('month', u.charge_start at time zone 'UTC')
                           + interval '1 month' - interval '1 day'))) as month_share,
                       p.price_server_month, p.price_memory_gib_month, p.price_cpu_month, p.price_disk_gib_month
                from use u join tenant t on t.id = u.tenant_id join virtual_server v on v.id = u.server_id
                join plan p on p.id = t.plan_id
            )
            select charge_start,
                   charge_start + case when ?4 = 'hour' then interval '1 hour' else interval '1 day' end as charge_end,
                   tenant_id, tenant_slug, tenant_name, server_id, hostname, plan_name, memory_mib, cpus, disk_mib,
                   billed_hours::integer as billed_hours,
                   round(cpu_core_hours::numeric, 6) as cpu_core_hours, round(memory_gib_hours::numeric, 6) as memory_gib_hours,
                   round(disk_gib_hours::numeric, 6) as disk_gib_hours, round(network_gib::numeric, 6) as network_gib,
                   round(uptime_hours::numeric, 6) as uptime_hours,
                   round((price_server_month * month_share)::numeric, 6) as base_cost,
                   round(((memory_mib / 1024.0 * price_memory_gib_month + cpus * price_cpu_month
                       + disk_mib / 1024.0 * price_disk_gib_month) * month_share)::numeric, 6) as resource_cost,
                   round((price_server_month * month_share)::numeric, 6)
                       + round(((memory_mib / 1024.0 * price_memory_gib_month + cpus * price_cpu_month
                       + disk_mib / 1024.0 * price_disk_gib_month) * month_share)::numeric, 6) as cost,
                   currency
            from priced
            order by charge_start, tenant_slug, server_id""";

    /** A closed period's frozen lines, in the same columns and order. */
    static final String FROZEN = """
            select charge_start, charge_end, tenant_id, tenant_slug, tenant_name, server_id, hostname, plan_name, memory_mib,
                   cpus, disk_mib, billed_hours, cpu_core_hours, memory_gib_hours, disk_gib_hours, network_gib, uptime_hours,
                   base_cost, resource_cost, cost, currency
            from billing_line where period_id = ?1 and (?2 = 0 or tenant_id = ?2)
            order by charge_start, tenant_slug, server_id""";

    private BillingLines() {
    }
}
