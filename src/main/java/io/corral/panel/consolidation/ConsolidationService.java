package io.corral.panel.consolidation;

import static io.corral.panel.common.SqlValues.toDouble;
import static io.corral.panel.common.SqlValues.utc;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.host.Host;
import io.corral.panel.limits.Allocation;
import io.corral.panel.server.Allocations;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consolidation statistics from the hosts' hourly ledger (host_hour): per host and for the fleet.
 * Percentiles are of hourly averages, so a spike shorter than an hour counts as part of its hour.
 */
@ApplicationScoped
public class ConsolidationService {
    @Inject
    EntityManager em;
    @Inject
    Allocations allocations;
    @Inject
    ConsolidationConfig config;

    /** The statistics over the window; a null headroom or idle threshold is the configured one. */
    public FleetStatistics statistics(Window window, Double headroomOrNull, Double idleBelowOrNull) {
        double headroom = ConsolidationPlans.headroom(headroomOrNull, config);
        double idleBelow = idleBelowOrNull == null ? config.idleBelow() : idleBelowOrNull;
        if (!(idleBelow > 0 && idleBelow < 1)) {
            throw DomainException.invalid("idleBelow", Refusals::consolidation_idle_below);
        }
        Instant to = Instant.now();
        Instant from = window.from(to);
        Map<Long, Object[]> measured = measured(from, to, idleBelow);
        Map<Long, Allocation> byHost = allocations.byHost();
        List<HostStatistics> perHost = new ArrayList<>();
        for (Host h : Host.<Host>listAll(Sort.by("name"))) {
            perHost.add(host(h, byHost.getOrDefault(h.id, Allocation.NONE), measured.get(h.id), idleBelow));
        }
        Resources capacity = perHost.stream().map(HostStatistics::capacity).reduce(Resources.NONE, Resources::plus);
        Resources allocated = perHost.stream().map(HostStatistics::allocated).reduce(Resources.NONE, Resources::plus);
        Resources p95 = perHost.stream().map(HostStatistics::p95).reduce(Resources.NONE, Resources::plus);
        Resources needed = p95.times(1 + headroom);
        return new FleetStatistics(window.label, from, to, headroom, idleBelow, capacity, allocated, p95, needed,
                perHost.size(), hostsNeeded(perHost, needed),
                perHost.stream().filter(HostStatistics::nearlyIdle).map(HostStatistics::name).toList(), perHost);
    }

    /** How many hosts, largest first, hold the need (at least one, where there is one); all if even all do not. */
    static int hostsNeeded(List<HostStatistics> hosts, Resources need) {
        List<Resources> largestFirst = hosts.stream().map(HostStatistics::capacity)
                .sorted(Comparator.comparingDouble(Resources::cpus).thenComparingDouble(Resources::memoryGiB).reversed())
                .toList();
        Resources room = Resources.NONE;
        for (int i = 0; i < largestFirst.size(); i++) {
            room = room.plus(largestFirst.get(i));
            if (room.holds(need)) {
                return i + 1;
            }
        }
        return largestFirst.size();
    }

    /** The host's chart: one point per sampled hour of the window. */
    public List<HostSeriesPoint> series(long hostId, Window window) {
        if (Host.findById(hostId) == null) {
            throw DomainException.notFound(r -> r.host_not_found(hostId));
        }
        Instant to = Instant.now();
        List<Object[]> rows = em.createNativeQuery("""
                        select hour, cpu_busy_core_seconds / observed_seconds, memory_used_gib_hours * 3600 / observed_seconds,
                            disk_used_gib_hours * 3600 / observed_seconds, servers_running_max
                        from host_hour where host_id = ?1 and hour >= ?2 and hour < ?3 and observed_seconds > 0 order by hour""",
                        Object[].class)
                .setParameter(1, hostId).setParameter(2, Timestamp.from(window.from(to))).setParameter(3, Timestamp.from(to))
                .getResultList();
        return rows.stream().map(r -> new HostSeriesPoint(utc(r[0]), toDouble(r[1]), toDouble(r[2]), toDouble(r[3]), ((Number) r[4]).intValue())).toList();
    }

    /** Per host id: average and p95 of CPU, memory and disk, idle share and observed hours. */
    private Map<Long, Object[]> measured(Instant from, Instant to, double idleBelow) {
        List<Object[]> rows = em.createNativeQuery("""
                        with hourly as (
                            select hh.host_id, hh.observed_seconds,
                                hh.cpu_busy_core_seconds / hh.observed_seconds as cpu,
                                hh.memory_used_gib_hours * 3600 / hh.observed_seconds as memory,
                                hh.disk_used_gib_hours * 3600 / hh.observed_seconds as disk,
                                h.cores
                            from host_hour hh join host h on h.id = hh.host_id
                            where hh.hour >= ?1 and hh.hour < ?2 and hh.observed_seconds > 0)
                        select host_id,
                            sum(cpu * observed_seconds) / sum(observed_seconds),
                            percentile_cont(0.95) within group (order by cpu),
                            sum(memory * observed_seconds) / sum(observed_seconds),
                            percentile_cont(0.95) within group (order by memory),
                            sum(disk * observed_seconds) / sum(observed_seconds),
                            percentile_cont(0.95) within group (order by disk),
                            sum(observed_seconds) filter (where cpu < ?3 * coalesce(cores, 1)) / sum(observed_seconds),
                            sum(observed_seconds) / 3600
                        from hourly group by host_id""", Object[].class)
                .setParameter(1, Timestamp.from(from)).setParameter(2, Timestamp.from(to)).setParameter(3, idleBelow)
                .getResultList();
        Map<Long, Object[]> byHost = new HashMap<>();
        rows.forEach(r -> byHost.put(((Number) r[0]).longValue(), r));
        return byHost;
    }

    private static HostStatistics host(Host h, Allocation a, Object[] m, double idleBelow) {
        Resources capacity = Resources.capacityOf(h);
        Resources allocated = new Resources(a.cpus().doubleValue(), Resources.gib(a.memoryMiB()), Resources.gib(a.diskMiB()));
        Resources overcommit = new Resources(ratio(allocated.cpus(), capacity.cpus()),
                ratio(allocated.memoryGiB(), capacity.memoryGiB()), ratio(allocated.diskGiB(), capacity.diskGiB()));
        Measured cpu = m == null ? Measured.NONE : new Measured(toDouble(m[1]), toDouble(m[2]));
        Measured memory = m == null ? Measured.NONE : new Measured(toDouble(m[3]), toDouble(m[4]));
        Measured disk = m == null ? Measured.NONE : new Measured(toDouble(m[5]), toDouble(m[6]));
        double observedHours = m == null ? 0 : toDouble(m[8]);
        // Nearly idle: measured at all, and even its busy hours (p95) leave the CPUs below the idle threshold.
        boolean nearlyIdle = observedHours > 0 && capacity.cpus() > 0 && cpu.p95() < idleBelow * capacity.cpus();
        return new HostStatistics(h.id, h.name, h.status, a.servers(), capacity, allocated, overcommit, cpu, memory, disk,
                m == null ? 0 : toDouble(m[7]), observedHours, nearlyIdle);
    }

    private static double ratio(double allocated, double capacity) {
        return capacity == 0 ? 0 : allocated / capacity;
    }

}
