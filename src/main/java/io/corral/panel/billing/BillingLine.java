package io.corral.panel.billing;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A server's charge for one day (or hour): its allocation, measured use and cost; the traffic it sent, its
 * allowance for the month (null: unmetered) and what it sent beyond that, with its cost (part of cost); the GiB-hours of its
 * snapshots and backups, and their cost (part of cost).
 */
record BillingLine(Instant chargeStart, Instant chargeEnd, long tenantId, String tenantSlug, String tenantName, long serverId,
                   String hostname, String planName, long memoryMiB, BigDecimal cpus, long diskMiB, int billedHours,
                   BigDecimal cpuCoreHours, BigDecimal memoryGibHours, BigDecimal diskGibHours, BigDecimal networkGib,
                   BigDecimal uptimeHours, BigDecimal baseCost, BigDecimal resourceCost, BigDecimal cost, String currency,
                   BigDecimal trafficOutGib, BigDecimal trafficIncludedGib, BigDecimal trafficOverageGib, BigDecimal trafficOverageCost,
                   BigDecimal snapshotGibHours, BigDecimal backupGibHours, BigDecimal storageCost) {

    /** The current row of a result in {@link BillingLines}' column order. */
    static BillingLine of(ResultSet r) throws SQLException {
        return new BillingLine(r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant(), r.getLong(3), r.getString(4),
                r.getString(5), r.getLong(6), r.getString(7), r.getString(8), r.getLong(9), r.getBigDecimal(10), r.getLong(11),
                r.getInt(12), r.getBigDecimal(13), r.getBigDecimal(14), r.getBigDecimal(15), r.getBigDecimal(16),
                r.getBigDecimal(17), r.getBigDecimal(18), r.getBigDecimal(19), r.getBigDecimal(20), r.getString(21),
                r.getBigDecimal(22), r.getBigDecimal(23), r.getBigDecimal(24), r.getBigDecimal(25), r.getBigDecimal(26), r.getBigDecimal(27),
                r.getBigDecimal(28));
    }
}
