package io.corral.panel.ui;

import io.corral.panel.consolidation.HostSeriesPoint;
import io.corral.panel.consolidation.Resources;
import io.corral.panel.limits.Limits;
import io.corral.panel.usage.UsageHour;
import java.util.List;

/**
 * What the pages' charts draw (see charts.js): per hour, as column arrays, the CPU cores, memory
 * and disk in use on average, with the limits (a server's) or capacity (a host's) drawn as a line.
 */
public record Chart(List<Long> hours, List<Double> cpuCores, List<Double> memoryGiB, List<Double> diskGiB,
                    Resources limits) {
    static Chart ofHost(List<HostSeriesPoint> points, Resources capacity) {
        return new Chart(points.stream().map(p -> p.hour().toEpochSecond()).toList(),
                points.stream().map(HostSeriesPoint::cpuCores).toList(),
                points.stream().map(HostSeriesPoint::memoryGiB).toList(),
                points.stream().map(HostSeriesPoint::diskGiB).toList(), capacity);
    }

    /** Ledger hours are sums over the sampled part of the hour: divided by it, they are averages. */
    static Chart ofServer(List<UsageHour> hours, Limits limits) {
        List<UsageHour> sampled = hours.stream().filter(h -> h.observedHours() > 0).toList();
        return new Chart(sampled.stream().map(h -> h.hour().toEpochSecond()).toList(),
                sampled.stream().map(h -> h.cpuCoreHours() / h.observedHours()).toList(),
                sampled.stream().map(h -> h.memoryGibHours() / h.observedHours()).toList(),
                sampled.stream().map(h -> h.diskGibHours() / h.observedHours()).toList(),
                new Resources(limits.cpus().doubleValue(), Resources.gib(limits.memoryMiB()), Resources.gib(limits.diskMiB())));
    }
}
