package io.corral.panel.consolidation;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.Rows;
import io.corral.panel.host.Host;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plans from the fleet as it stands: hosts (their size, overcommit ratios and status), servers (their limits and their
 * p95 CPU and memory from the usage ledger over the window; what was never measured counts at its limits) and the
 * headroom kept above measured use. A server stays where it is (so does the rest of its host) if it has snapshots, is
 * being moved already, is on a host that is down, has port forwards (whose host ports the plan does not place), or has
 * addresses of a network that some host taking servers is not on: a server with addresses goes only where its networks
 * are, and the planner places servers on any host that takes them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ConsolidationPlans {
    /** A move's downtime before any was measured here: the agents' bench (host-agent/bench/RESULTS.md) on a 200 MiB disk. */
    static final double ESTIMATED_DOWNTIME_SECONDS = 1.0;
    @Inject
    Rows rows;
    @Inject
    ConsolidationConfig config;
    /**
     * Plans this panel makes at once, whoever asks (the API, the page, a run, a drain): at 5,000 hosts each holds the
     * fleet in memory and a core for seconds, and admins asking at once would otherwise spend as many. The others wait
     * their turn, in order, for corral.consolidation.plan-waits: well within the 60 s transaction of a run or a drain,
     * which plans in it.
     */
    static final int PLANS_AT_ONCE = 1;
    private final Semaphore making = new Semaphore(PLANS_AT_ONCE, true);

    /** The moves that empty as many hosts as possible. */
    public ConsolidationPlan plan(Window window, Double headroomOrNull) {
        return plan(window, headroomOrNull, () -> {
        });
    }

    /** As {@link #plan(Window, Double)}; turnCame: called when this plan's turn has come, before it is made. */
    ConsolidationPlan plan(Window window, Double headroomOrNull, Runnable turnCame) {
        double headroom = headroom(headroomOrNull, config);
        return inTurn(() -> {
            turnCame.run();
            return make(window, headroom, null);
        });
    }

    /** The moves that empty this one host, onto the others that take servers, none of them over what it may hold. */
    public ConsolidationPlan drain(long hostId) {
        double headroom = headroom(null, config);
        return inTurn(() -> {
            Host h = Host.<Host>findByIdOptional(hostId).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(hostId)));
            if (h.status == Host.Status.down) {
                throw DomainException.conflict(r -> r.consolidation_drain_down(h.name));
            }
            return make(Window.WEEK, headroom, hostId);
        });
    }

    /** The headroom asked for, or the configured one; refused out of range (NaN too). */
    static double headroom(Double headroomOrNull, ConsolidationConfig config) {
        double headroom = headroomOrNull == null ? config.headroom() : headroomOrNull;
        if (!(headroom >= 0 && headroom <= 10)) {
            throw DomainException.invalid("headroom", Refusals::consolidation_headroom);
        }
        return headroom;
    }

    /**
     * The plan made in this panel's turn ({@link #PLANS_AT_ONCE}). Nothing is read before the turn comes: a caller in a
     * transaction would otherwise hold a database connection while it waits.
     */
    private ConsolidationPlan inTurn(Supplier<ConsolidationPlan> plan) {
        try {
            if (!making.tryAcquire(config.planWaits().toMillis(), TimeUnit.MILLISECONDS)) {
                throw DomainException.conflict(r -> r.consolidation_plans_busy(PLANS_AT_ONCE, config.planWaits().toSeconds()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to make a consolidation plan", e);
        }
        try {
            return plan.get();
        } finally {
            making.release();
        }
    }

    private ConsolidationPlan make(Window window, double headroom, Long draining) {
        List<Host> hosts = Host.listAll(Sort.by("id"));
        List<MovePlanner.Bin> bins = new ArrayList<>();
        Map<Long, Host> byId = new HashMap<>();
        for (Host h : hosts) {
            byId.put(h.id, h);
            bins.add(bin(h, headroom, draining));
        }
        List<Server> servers = servers(window.from(Instant.now()), networksOnEvery(bins));
        List<MovePlanner.Item> items = new ArrayList<>(servers.stream().map(Server::item).toList());
        // a server being moved holds room on the host it is moving to as well, which nothing may take meanwhile
        servers.stream().filter(s -> s.movingTo() != null).forEach(s -> items.add(new MovePlanner.Item(-s.id(), s.movingTo(), s.demand(), false)));
        long started = System.nanoTime();
        MovePlanner planner = MovePlanner.of(bins, items);
        MovePlanner.Result result = draining == null ? planner.plan() : planner.emptyDraining();
        long plannedIn = (System.nanoTime() - started) / 1_000_000;

        Map<Long, Server> serverById = new HashMap<>();
        servers.forEach(s -> serverById.put(s.id(), s));
        List<ConsolidationPlan.PlannedMove> moves = result.moves().stream().map(m -> {
            Server s = serverById.get(m.server());
            return new ConsolidationPlan.PlannedMove(m.server(), s.hostname(), m.from(), byId.get(m.from()).name, m.to(), byId.get(m.to()).name,
                    s.running());
        }).toList();
        Set<Long> emptied = new HashSet<>(result.emptied());
        Map<Long, Integer> before = new HashMap<>(), after = new HashMap<>();
        servers.forEach(s -> before.merge(s.host(), 1, Integer::sum));
        Map<Long, Long> at = new HashMap<>();
        servers.forEach(s -> at.put(s.id(), s.host()));
        result.moves().forEach(m -> at.put(m.server(), m.to()));
        at.values().forEach(h -> after.merge(h, 1, Integer::sum));
        List<ConsolidationPlan.HostLoad> perHost = new ArrayList<>();
        double[][] loadBefore = loads(bins, items);
        for (int i = 0; i < bins.size(); i++) {
            Host h = hosts.get(i);
            perHost.add(new ConsolidationPlan.HostLoad(h.id, h.name, h.status, emptied.contains(h.id), before.getOrDefault(h.id, 0),
                    after.getOrDefault(h.id, 0), ConsolidationPlan.Shares.of(loadBefore[i], bins.get(i).capacity()),
                    ConsolidationPlan.Shares.of(result.loadAfter()[i], bins.get(i).capacity())));
        }
        Double measured = averageDowntimeSeconds();
        double perMove = measured != null ? measured : ESTIMATED_DOWNTIME_SECONDS;
        long running = moves.stream().filter(ConsolidationPlan.PlannedMove::running).count();
        return new ConsolidationPlan(window.label, headroom, hosts.size(), before.size(), planner.lowerBound(),
                (int) hosts.stream().filter(h -> !emptied.contains(h.id) && (before.containsKey(h.id) || h.status == Host.Status.up)).count(),
                result.emptied().stream().map(id -> byId.get(id).name).toList(), moves, running * perMove, perMove, measured != null,
                perHost, plannedIn);
    }

    /**
     * A host's room in the planner's dimensions: promised CPUs and memory under its overcommit ratios and disk as it is;
     * then measured CPU and memory under its size less the headroom. A host that has not said its size takes nothing.
     */
    static MovePlanner.Bin bin(Host h, double headroom, Long draining) {
        boolean sized = h.cores != null && h.memoryMib != null && h.diskMib != null;
        double[] capacity = sized ? new double[] {h.cores * h.cpuOvercommit.doubleValue(), h.memoryMib * h.memoryOvercommit.doubleValue(),
                h.diskMib, h.cores / (1 + headroom), h.memoryMib / (1 + headroom)} : new double[5];
        boolean drained = h.status == Host.Status.draining || h.id.equals(draining);
        return new MovePlanner.Bin(h.id, sized && h.status == Host.Status.up && !drained, sized && drained, capacity);
    }

    private static double[][] loads(List<MovePlanner.Bin> bins, List<MovePlanner.Item> items) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < bins.size(); i++) {
            index.put(bins.get(i).id(), i);
        }
        double[][] load = new double[bins.size()][5];
        for (MovePlanner.Item s : items) {
            double[] l = load[index.get(s.host())];
            for (int d = 0; d < l.length; d++) {
                l[d] += s.demand()[d];
            }
        }
        return load;
    }

    /** A server as the planner needs it. */
    record Server(long id, long host, String hostname, boolean running, boolean movable, double[] demand, Long movingTo) {
        MovePlanner.Item item() {
            return new MovePlanner.Item(id, host, demand, movable);
        }
    }

    private List<Server> servers(Instant from, Long[] everywhere) {
        return rows.list("""
                        select v.id, v.host_id, v.hostname, v.desired_state = 'running',
                            v.moving_to_host_id is null and h.status <> 'down'
                                and not exists (select 1 from server_address a where a.server_id = v.id and a.network_id <> all(cast(? as bigint[])))
                                and not exists (select 1 from port_forward f where f.server_id = v.id)
                                and not exists (select 1 from snapshot s where s.server_id = v.id and s.status not in ('deleted', 'failed')),
                            v.cpus, v.memory_mib, v.disk_mib, m.cpu, m.memory, v.moving_to_host_id
                        from virtual_server v join host h on h.id = v.host_id
                        left join (select server_id,
                                percentile_cont(0.95) within group (order by cpu_seconds / 3600) as cpu,
                                percentile_cont(0.95) within group (order by memory_gib_hours * 1024) as memory
                            from usage_hour where hour >= ? group by server_id) m on m.server_id = v.id
                        where v.desired_state <> 'destroyed'
                        order by v.id""",
                r -> {
                    double cpus = r.getDouble(6), memory = r.getLong(7);
                    double usedCpu = r.getObject(9) == null ? cpus : Math.min(cpus, r.getDouble(9));
                    double usedMemory = r.getObject(10) == null ? memory : Math.min(memory, r.getDouble(10));
                    return new Server(r.getLong(1), r.getLong(2), r.getString(3), r.getBoolean(4), r.getBoolean(5),
                            new double[] {cpus, memory, r.getLong(8), usedCpu, usedMemory}, (Long) r.getObject(11));
                }, everywhere, Timestamp.from(from));
    }

    /**
     * The networks every host taking servers is on: a server holding addresses of any other could be planned onto a host
     * without its network, so it stays (its own host is on its networks, having given it the addresses).
     */
    private Long[] networksOnEvery(List<MovePlanner.Bin> bins) {
        Set<Long> takers = new HashSet<>();
        bins.stream().filter(MovePlanner.Bin::takes).forEach(b -> takers.add(b.id()));
        Map<Long, Set<Long>> hostsOf = new HashMap<>();
        rows.list("select network_id, host_id from host_network", r -> Map.entry(r.getLong(1), r.getLong(2)))
                .forEach(e -> hostsOf.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return hostsOf.entrySet().stream().filter(e -> e.getValue().containsAll(takers)).map(Map.Entry::getKey).toArray(Long[]::new);
    }

    /** The average downtime of the last 20 moves that succeeded, in seconds; null before any. */
    private Double averageDowntimeSeconds() {
        List<Double> average = rows.list("""
                        select avg((payload::jsonb -> 'result' ->> 'downtimeMillis')::numeric) / 1000 from (
                            select payload from operation where kind = 'move' and status = 'succeeded'
                                and payload::jsonb -> 'result' ->> 'downtimeMillis' is not null
                            order by id desc limit 20) last""",
                r -> r.getObject(1) == null ? null : r.getDouble(1));
        return average.isEmpty() ? null : average.get(0);
    }
}
