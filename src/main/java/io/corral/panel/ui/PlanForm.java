package io.corral.panel.ui;

import io.corral.panel.plan.PlanRequest;
import jakarta.ws.rs.FormParam;
import java.math.BigDecimal;

/** The admin's plan form (ui-templates/tags/planFields.html), for adding a plan and changing one. */
record PlanForm(@FormParam("name") String name, @FormParam("maxServers") Integer maxServers,
                @FormParam("maxMemoryMiB") Long maxMemoryMiB, @FormParam("maxSwapMiB") Long maxSwapMiB,
                @FormParam("maxCpus") BigDecimal maxCpus, @FormParam("maxCpuWeight") Long maxCpuWeight,
                @FormParam("maxPids") Long maxPids, @FormParam("maxDiskMiB") Long maxDiskMiB,
                @FormParam("serverMaxMemoryMiB") Long serverMaxMemoryMiB, @FormParam("serverMaxSwapMiB") Long serverMaxSwapMiB,
                @FormParam("serverMaxCpus") BigDecimal serverMaxCpus, @FormParam("serverMaxCpuWeight") Integer serverMaxCpuWeight,
                @FormParam("serverMaxPids") Integer serverMaxPids, @FormParam("serverMaxDiskMiB") Long serverMaxDiskMiB,
                @FormParam("serverNetworkInMbit") Integer serverNetworkInMbit, @FormParam("serverNetworkOutMbit") Integer serverNetworkOutMbit,
                @FormParam("serverDiskMiBps") Integer serverDiskMiBps, @FormParam("serverDiskIops") Integer serverDiskIops,
                @FormParam("serverPortForwards") Integer serverPortForwards,
                @FormParam("serverMaxSnapshots") Integer serverMaxSnapshots, @FormParam("maxSnapshotGiB") Long maxSnapshotGiB,
                @FormParam("serverMaxBackups") Integer serverMaxBackups,
                @FormParam("priceServerMonth") BigDecimal priceServerMonth, @FormParam("priceMemoryGiBMonth") BigDecimal priceMemoryGiBMonth,
                @FormParam("priceCpuMonth") BigDecimal priceCpuMonth, @FormParam("priceDiskGiBMonth") BigDecimal priceDiskGiBMonth,
                @FormParam("serverIncludedTrafficGiB") Long serverIncludedTrafficGiB,
                @FormParam("priceTrafficOverageGiB") BigDecimal priceTrafficOverageGiB,
                @FormParam("priceSnapshotGiBMonth") BigDecimal priceSnapshotGiBMonth,
                @FormParam("priceBackupGiBMonth") BigDecimal priceBackupGiBMonth,
                @FormParam("currency") String currency, @FormParam("network") String network) {
    PlanRequest request() {
        return new PlanRequest(name, maxServers, maxMemoryMiB, maxSwapMiB, maxCpus, maxCpuWeight, maxPids, maxDiskMiB, serverMaxMemoryMiB,
                serverMaxSwapMiB, serverMaxCpus, serverMaxCpuWeight, serverMaxPids, serverMaxDiskMiB, serverNetworkInMbit, serverNetworkOutMbit,
                serverDiskMiBps, serverDiskIops, serverPortForwards, serverMaxSnapshots, maxSnapshotGiB, serverMaxBackups, priceServerMonth,
                priceMemoryGiBMonth, priceCpuMonth, priceDiskGiBMonth, serverIncludedTrafficGiB, priceTrafficOverageGiB, priceSnapshotGiBMonth,
                priceBackupGiBMonth, currency, network);
    }
}
