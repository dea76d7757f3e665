package io.corral.panel.plan;

import java.math.BigDecimal;

public record PlanView(long id, String name, int maxServers, long maxMemoryMiB, BigDecimal maxCpus, long maxDiskMiB,
                       long serverMaxMemoryMiB, BigDecimal serverMaxCpus, long serverMaxDiskMiB,
                       BigDecimal priceServerMonth, BigDecimal priceMemoryGiBMonth, BigDecimal priceCpuMonth,
                       BigDecimal priceDiskGiBMonth, String currency) {
    public static PlanView of(Plan p) {
        return new PlanView(p.id, p.name, p.maxServers, p.maxMemoryMib, p.maxCpus, p.maxDiskMib, p.serverMaxMemoryMib,
                p.serverMaxCpus, p.serverMaxDiskMib, p.priceServerMonth, p.priceMemoryGibMonth, p.priceCpuMonth,
                p.priceDiskGibMonth, p.currency);
    }
}
