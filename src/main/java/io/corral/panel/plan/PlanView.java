package io.corral.panel.plan;

import java.math.BigDecimal;

/** A plan as admins read it: its quotas in all and per server, each server's bandwidth, disk IO and port forwards, its snapshots and backups, its prices, the traffic included for each server and the kind of network its servers get. */
public record PlanView(long id, String name, int maxServers, long maxMemoryMiB, long maxSwapMiB, BigDecimal maxCpus,
                       long maxCpuWeight, long maxPids, long maxDiskMiB, long serverMaxMemoryMiB, long serverMaxSwapMiB,
                       BigDecimal serverMaxCpus, int serverMaxCpuWeight, int serverMaxPids, long serverMaxDiskMiB,
                       int serverNetworkInMbit, int serverNetworkOutMbit, int serverDiskMiBps, int serverDiskIops, int serverPortForwards,
                       int serverMaxSnapshots, long maxSnapshotGiB, int serverMaxBackups,
                       BigDecimal priceServerMonth, BigDecimal priceMemoryGiBMonth, BigDecimal priceCpuMonth,
                       BigDecimal priceDiskGiBMonth, Long serverIncludedTrafficGiB, BigDecimal priceTrafficOverageGiB,
                       BigDecimal priceSnapshotGiBMonth, BigDecimal priceBackupGiBMonth, String currency, String network) {
    public static PlanView of(Plan p) {
        return new PlanView(p.id, p.name, p.maxServers, p.maxMemoryMib, p.maxSwapMib, p.maxCpus, p.maxCpuWeight, p.maxPids,
                p.maxDiskMib, p.serverMaxMemoryMib, p.serverMaxSwapMib, p.serverMaxCpus, p.serverMaxCpuWeight, p.serverMaxPids,
                p.serverMaxDiskMib, p.serverNetworkInMbit, p.serverNetworkOutMbit, p.serverDiskMibps, p.serverDiskIops, p.serverPortForwards,
                p.serverMaxSnapshots, p.maxSnapshotGib, p.serverMaxBackups,
                p.priceServerMonth, p.priceMemoryGibMonth, p.priceCpuMonth, p.priceDiskGibMonth, p.serverIncludedTrafficGib,
                p.priceTrafficOverageGib, p.priceSnapshotGibMonth, p.priceBackupGibMonth, p.currency, p.network);
    }
}
