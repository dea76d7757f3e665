package io.corral.panel.consolidation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the moves that empty as many hosts as possible, without any host going over what it may hold at any step.
 * Hosts and servers are vectors in the same dimensions (what servers were promised, under the host's overcommit, and
 * what they measurably use, under the host's size less its headroom); a server fits where the host's sum plus it
 * stays within the host's capacity in every one.
 * <p>
 * For each count of hosts to keep, from the lower bound up, the fullest hosts are kept (the most stays where it is)
 * and the servers of the others placed on them, largest first, each on the fullest kept host that takes it. Where
 * that does not fit, all movable servers are packed again the same way, each staying on its own host when that is
 * kept and has room: servers then move between kept hosts too, ordered so that each move finds its room. The first
 * count that fits is the plan. Draining hosts are always emptied and take nothing; hosts that are down, and hosts
 * with a server that cannot move, are kept as they are. Plain arrays, and the first host with room found through a
 * tree ({@link FirstFit}): 1,000 hosts and 20,000 servers are planned in about 0.15 s, 5,000 and 100,000 in about 2 s
 * (bench/RESULTS.md), which is why the page makes its plan in the background ({@link ConsolidationPage}).
 */
public final class MovePlanner {
    /** A host: whether it may take servers (up), must be emptied (draining), and its capacity in each dimension. */
    public record Bin(long id, boolean takes, boolean mustEmpty, double[] capacity) {
    }

    /** A server on a host, what it needs in each dimension, and whether it can move at all. */
    public record Item(long id, long host, double[] demand, boolean movable) {
    }

    public record Move(long server, long from, long to) {
    }

    /** The moves in the order to make them, the hosts they empty, and each host's load after them (by the bins' order). */
    public record Result(List<Move> moves, List<Long> emptied, double[][] loadAfter) {
    }

    private final List<Bin> bins;
    private final List<Item> items;
    private final int n, dims;
    /** Per server: the index of its host. */
    private final int[] home;
    private final double[][] load;
    /** Per host: its capacity in each dimension. */
    private final double[][] capacity;
    /** Every host's index, the fullest first. */
    private final int[] fullestFirst;
    /** Per server: it stays where it is (it cannot move, or its host is down: neither takes servers nor drains). */
    private final boolean[] stays;

    private MovePlanner(List<Bin> bins, List<Item> items) {
        this.bins = bins;
        this.items = items;
        this.n = bins.size();
        this.dims = n == 0 ? 0 : bins.get(0).capacity().length;
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(bins.get(i).id(), i);
        }
        home = new int[items.size()];
        load = new double[n][dims];
        capacity = bins.stream().map(Bin::capacity).toArray(double[][]::new);
        for (int s = 0; s < items.size(); s++) {
            Integer b = index.get(items.get(s).host());
            if (b == null) {
                throw new IllegalArgumentException("server " + items.get(s).id() + " is on host " + items.get(s).host() + ", which is not planned");
            }
            home[s] = b;
            add(load[b], items.get(s).demand(), 1);
        }
        stays = new boolean[items.size()];
        for (int s = 0; s < stays.length; s++) {
            Bin b = bins.get(home[s]);
            stays[s] = !items.get(s).movable() || !b.takes() && !b.mustEmpty();
        }
        fullestFirst = java.util.stream.IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> fullness(load[i], capacity[i])).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    /** A planner of these hosts and servers; its plans and its lower bound read them as given, and change nothing. */
    public static MovePlanner of(List<Bin> bins, List<Item> items) {
        return new MovePlanner(bins, items);
    }

    /** The moves that empty the draining hosts alone onto the hosts that take servers; none if they do not all fit. */
    public Result emptyDraining() {
        boolean[] kept = new boolean[n], target = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] = !bins.get(i).mustEmpty();
            target[i] = bins.get(i).takes();
        }
        for (int s = 0; s < items.size(); s++) {
            kept[home[s]] |= stays[s];
        }
        Result r = evict(largestFirst(), kept, target);
        return r != null ? r : new Result(List.of(), List.of(), copy(load));
    }

    /** Server indices, the largest (its share of its host, summed over the dimensions) first. */
    private Integer[] largestFirst() {
        Integer[] bySize = new Integer[items.size()];
        double[] size = new double[items.size()];
        for (int s = 0; s < bySize.length; s++) {
            bySize[s] = s;
            size[s] = size(items.get(s).demand(), capacity[home[s]]);
        }
        Arrays.sort(bySize, Comparator.comparingDouble((Integer s) -> size[s]).reversed());
        return bySize;
    }

    /** Per host: it holds a server that stays where it is. */
    private boolean[] fixed() {
        boolean[] fixed = new boolean[n];
        for (int s = 0; s < items.size(); s++) {
            fixed[home[s]] |= stays[s];
        }
        return fixed;
    }

    /** Whether the host is kept as it is in every plan: down, or holding a server that cannot move. */
    private boolean keptAsItIs(int i, boolean[] fixed) {
        return fixed[i] || !bins.get(i).takes() && !bins.get(i).mustEmpty();
    }

    /** The moves that empty as many hosts as possible. */
    public Result plan() {
        // which hosts must stay as they are, which may be emptied, and which must be
        boolean[] fixed = fixed();
        List<Integer> keepable = new ArrayList<>();
        int alwaysKept = 0;
        for (int i = 0; i < n; i++) {
            if (keptAsItIs(i, fixed)) {
                alwaysKept++;
            } else if (bins.get(i).takes()) {
                keepable.add(i);
            }
        }
        // the most loaded first, all dimensions summed: keeping them moves the least
        keepable.sort(Comparator.comparingDouble((Integer i) -> size(load[i], capacity[i])).reversed());
        Integer[] bySize = largestFirst();
        boolean[] kept = fixed.clone();
        boolean[] target = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] |= !bins.get(i).takes() && !bins.get(i).mustEmpty();
            target[i] = fixed[i] && bins.get(i).takes();
        }
        // keeping every host that holds a server moves only the draining hosts' servers; the least count of hosts that
        // fits is searched between the bound and that, or where the draining hosts' servers need more room, up to every host
        int bound = Math.min(keepable.size(), othersNeeded(fixed));
        int hi = 0;
        for (int k : keepable) {
            hi += size(load[k], capacity[k]) > 0 ? 1 : 0;
        }
        int lo = Math.min(bound, hi);
        Result best = keeping(hi, keepable, bySize, kept, target);
        if (best == null && hi < keepable.size()) {
            lo = Math.max(bound, hi + 1);
            hi = keepable.size();
            best = keeping(hi, keepable, bySize, kept, target);
        }
        if (best == null) { // not even the draining hosts can be emptied, or a host is over what it may hold already
            return new Result(List.of(), List.of(), copy(load));
        }
        // the bound first: a fleet of small servers on idle hosts often packs onto it, and then no other count is tried
        for (boolean first = true; lo < hi; first = false) {
            int m = first ? lo : (lo + hi) / 2;
            Result r = keeping(m, keepable, bySize, kept, target);
            if (r != null) {
                best = r;
                hi = m;
            } else {
                lo = m + 1;
            }
        }
        return best;
    }

    /** The fullest m of the keepable hosts kept: only the others' servers moving where that fits (the fewest moves), else all packed again. */
    private Result keeping(int m, List<Integer> keepable, Integer[] bySize, boolean[] kept, boolean[] target) {
        boolean[] mKept = kept.clone(), mTarget = target.clone();
        for (int k = 0; k < m; k++) {
            mKept[keepable.get(k)] = true;
            mTarget[keepable.get(k)] = true;
        }
        Result r = evict(bySize, mKept, mTarget);
        return r != null ? r : repack(bySize, mKept, mTarget);
    }

    /**
     * All movable servers packed again onto the kept hosts, largest first, each staying home where it can, else on the
     * fullest kept host with room; null if they do not all fit, or no order of the moves finds each its room.
     */
    private Result repack(Integer[] bySize, boolean[] kept, boolean[] target) {
        double[][] after = new double[n][dims];
        int[] at = new int[items.size()];
        placeThoseThatStay(after, at);
        FirstFit targets = firstFit(target, after);
        for (int s : bySize) {
            if (stays[s]) {
                continue;
            }
            double[] d = items.get(s).demand();
            int t = target[home[s]] && fits(after[home[s]], d, capacity[home[s]]) ? home[s] : targets.first(d);
            if (t < 0) {
                return null;
            }
            add(after[t], d, 1);
            targets.changed(t);
            at[s] = t;
        }
        return ordered(at, after, kept);
    }

    /** The servers that stay where they are, placed there first: what the others are packed around. */
    private void placeThoseThatStay(double[][] after, int[] at) {
        for (int s = 0; s < items.size(); s++) {
            if (stays[s]) {
                at[s] = home[s];
                add(after[home[s]], items.get(s).demand(), 1);
            }
        }
    }

    /** The hosts in the set open to take servers, the fullest first: the order in which servers are offered to them. */
    private FirstFit firstFit(boolean[] set, double[][] loads) {
        FirstFit fit = new FirstFit(fullestFirst, capacity, loads, dims);
        for (int i = 0; i < n; i++) {
            if (set[i]) {
                fit.open(i);
            }
        }
        return fit;
    }

    /** The servers of the hosts not kept placed on the kept ones, which only gain: any order of the moves works. */
    private Result evict(Integer[] bySize, boolean[] kept, boolean[] target) {
        double[][] after = copy(load);
        int[] at = home.clone();
        List<Move> moves = new ArrayList<>();
        FirstFit targets = firstFit(target, after);
        for (int s : bySize) {
            if (kept[home[s]]) {
                continue;
            }
            int t = targets.first(items.get(s).demand());
            if (t < 0) {
                return null;
            }
            add(after[t], items.get(s).demand(), 1);
            targets.changed(t);
            add(after[home[s]], items.get(s).demand(), -1);
            targets.changed(home[s]);
            at[s] = t;
            moves.add(new Move(items.get(s).id(), bins.get(home[s]).id(), bins.get(t).id()));
        }
        return result(moves, at, after, kept);
    }

    /** The moves to the packing at, in an order in which each finds its room; null where no order does. */
    private Result ordered(int[] at, double[][] after, boolean[] kept) {
        List<Integer> pending = new ArrayList<>();
        for (int s = 0; s < items.size(); s++) {
            if (at[s] != home[s]) {
                pending.add(s);
            }
        }
        double[][] now = copy(load);
        List<Move> moves = new ArrayList<>();
        while (!pending.isEmpty()) {
            int before = pending.size();
            for (var it = pending.iterator(); it.hasNext(); ) {
                int s = it.next();
                if (fits(now[at[s]], items.get(s).demand(), capacity[at[s]])) {
                    add(now[at[s]], items.get(s).demand(), 1);
                    add(now[home[s]], items.get(s).demand(), -1);
                    moves.add(new Move(items.get(s).id(), bins.get(home[s]).id(), bins.get(at[s]).id()));
                    it.remove();
                }
            }
            if (pending.size() == before) {
                return null; // moves that wait for each other's room: no order makes them
            }
        }
        return result(moves, at, after, kept);
    }

    private Result result(List<Move> moves, int[] at, double[][] after, boolean[] kept) {
        boolean[] holds = new boolean[n];
        for (int s = 0; s < at.length; s++) {
            holds[at[s]] = true;
        }
        List<Long> emptied = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!kept[i] && !holds[i]) {
                emptied.add(bins.get(i).id());
            }
        }
        return new Result(moves, emptied, after);
    }

    static boolean fits(double[] load, double[] demand, double[] capacity) {
        for (int d = 0; d < demand.length; d++) {
            if (load[d] + demand[d] > capacity[d] * (1 + 1e-12)) {
                return false;
            }
        }
        return true;
    }

    /** The largest share of the host's capacity the load takes in any dimension. */
    static double fullness(double[] load, double[] capacity) {
        double most = 0;
        for (int d = 0; d < load.length; d++) {
            most = Math.max(most, capacity[d] == 0 ? (load[d] > 0 ? Double.MAX_VALUE : 0) : load[d] / capacity[d]);
        }
        return most;
    }

    private static double size(double[] demand, double[] capacity) {
        double sum = 0;
        for (int d = 0; d < demand.length; d++) {
            sum += capacity[d] == 0 ? 0 : demand[d] / capacity[d];
        }
        return sum;
    }

    private static void add(double[] into, double[] what, int sign) {
        for (int d = 0; d < into.length; d++) {
            into[d] += sign * what[d];
        }
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /**
     * The fewest hosts holding servers that any plan keeps: those kept as they are that hold any, and as many of the
     * others as the rest of the demand needs (see {@link #othersNeeded}).
     */
    public int lowerBound() {
        boolean[] fixed = fixed(), holding = new boolean[n];
        for (int h : home) {
            holding[h] = true;
        }
        int asItIs = 0;
        for (int i = 0; i < n; i++) {
            asItIs += keptAsItIs(i, fixed) && holding[i] ? 1 : 0;
        }
        return asItIs + othersNeeded(fixed);
    }

    /**
     * How many of the hosts not kept as they are the demand needs, were servers divisible: in each dimension, what the
     * hosts kept as they are do not hold, over the others' room, the largest first, the most of those. A host holds at
     * most its capacity or what it holds now, whichever is more: one already over what it may hold keeps its servers
     * but takes none, so its capacity alone would count too many hosts, and the search, starting there, would miss
     * plans that keep fewer.
     */
    private int othersNeeded(boolean[] fixed) {
        double[] rest = new double[dims];
        List<double[]> others = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            add(rest, load[i], 1);
            double[] most = new double[dims];
            for (int d = 0; d < dims; d++) {
                most[d] = bins.get(i).takes() ? Math.max(capacity[i][d], load[i][d]) : load[i][d];
            }
            if (keptAsItIs(i, fixed)) {
                add(rest, most, -1);
            } else if (bins.get(i).takes()) {
                others.add(most);
            }
        }
        int needed = 0;
        for (int d = 0; d < dims; d++) {
            final int dim = d;
            double[] largestFirst = others.stream().mapToDouble(most -> most[dim]).sorted().toArray();
            double left = rest[d];
            int hosts = 0;
            for (int i = largestFirst.length - 1; i >= 0 && left > 1e-9 * Math.max(1, largestFirst[i]); i--) {
                left -= largestFirst[i];
                hosts++;
            }
            needed = Math.max(needed, hosts);
        }
        return needed;
    }
}
