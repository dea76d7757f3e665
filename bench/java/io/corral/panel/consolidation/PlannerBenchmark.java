package io.corral.panel.consolidation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The consolidation planner on generated fleets (bench/planner.sh): hosts of one size, servers of the sizes plans sell,
 * placed at random as a fleet fills over time, each measured at a share of what it was promised. Reports the time to
 * plan, the hosts kept against the lower bound, and the moves; and the same for first-fit-decreasing, which packs
 * every server again from scratch, in the same run.
 * Arguments: hosts servers seeds [small]; small: every server of the smallest size, as bench/scale.sh seeds them (such a
 * fleet packs onto its lower bound).
 */
public final class PlannerBenchmark {
    /** cpus (under 4x overcommit), memory MiB, disk MiB; then measured cpus and memory under the size less 20% headroom. */
    static final double[] HOST = {64 * 4, 256 * 1024, 4 * 1024 * 1024, 64 / 1.2, 256 * 1024 / 1.2};
    /** What plans sell: cpus, memory GiB, disk GiB; and how often (per mille). */
    static final double[][] SIZES = {{1, 1, 20}, {2, 4, 50}, {4, 8, 100}, {8, 16, 200}, {16, 32, 400}};
    static final int[] WEIGHTS = {400, 300, 200, 80, 20};

    public static void main(String[] args) {
        int hosts = Integer.parseInt(args[0]), servers = Integer.parseInt(args[1]), seeds = Integer.parseInt(args[2]);
        boolean small = args.length > 3 && args[3].equals("small");
        System.out.println("| seed | servers | lower bound | planner: hosts kept (over the bound) | moves | time | FFD: hosts used (over the bound) | moves | time |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int seed = 1; seed <= seeds; seed++) {
            Random random = new Random(seed);
            List<MovePlanner.Bin> bins = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                bins.add(new MovePlanner.Bin(h + 1, true, false, HOST.clone()));
            }
            double[][] load = new double[hosts][HOST.length];
            List<MovePlanner.Item> items = new ArrayList<>();
            for (int s = 0; s < servers; s++) {
                double[] size = small ? SIZES[0] : SIZES[pick(random)];
                double used = 0.05 + random.nextDouble() * 0.55;
                double[] d = {size[0], size[1] * 1024, size[2] * 1024, size[0] * used, size[1] * 1024 * used};
                int h;
                do {
                    h = random.nextInt(hosts);
                } while (!fits(load[h], d));
                for (int i = 0; i < d.length; i++) {
                    load[h][i] += d[i];
                }
                items.add(new MovePlanner.Item(s + 1, h + 1, d, true));
            }
            for (int warm = 0; warm < 3; warm++) { // the JIT's compiles come first, as in a panel that has run a while
                MovePlanner.of(bins, items).plan();
                firstFitDecreasing(bins, items);
            }
            long t0 = System.nanoTime();
            MovePlanner.Result plan = MovePlanner.of(bins, items).plan();
            long t1 = System.nanoTime();
            int[] ffd = firstFitDecreasing(bins, items);
            long t2 = System.nanoTime();
            int bound = MovePlanner.of(bins, items).lowerBound();
            int kept = hosts - plan.emptied().size();
            System.out.printf("| %d | %d | %d | %d (%+.1f%%) | %d | %d ms | %d (%+.1f%%) | %d | %d ms |%n", seed, servers, bound,
                    kept, 100.0 * (kept - bound) / bound, plan.moves().size(), (t1 - t0) / 1_000_000,
                    ffd[0], 100.0 * (ffd[0] - bound) / bound, ffd[1], (t2 - t1) / 1_000_000);
        }
    }

    /** Hosts used and servers moved by first-fit-decreasing: largest first, each on the first host (by id) with room. */
    static int[] firstFitDecreasing(List<MovePlanner.Bin> bins, List<MovePlanner.Item> items) {
        double[][] load = new double[bins.size()][HOST.length];
        MovePlanner.Item[] bySize = items.toArray(new MovePlanner.Item[0]);
        Arrays.sort(bySize, Comparator.comparingDouble((MovePlanner.Item s) -> {
            double sum = 0;
            for (int i = 0; i < HOST.length; i++) {
                sum += s.demand()[i] / HOST[i];
            }
            return sum;
        }).reversed());
        int used = 0, moves = 0;
        for (MovePlanner.Item s : bySize) {
            int h = 0;
            while (!fits(load[h], s.demand())) {
                h++;
            }
            for (int i = 0; i < HOST.length; i++) {
                load[h][i] += s.demand()[i];
            }
            used = Math.max(used, h + 1);
            moves += bins.get(h).id() == s.host() ? 0 : 1;
        }
        return new int[] {used, moves};
    }

    static boolean fits(double[] load, double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (load[i] + d[i] > HOST[i]) {
                return false;
            }
        }
        return true;
    }

    static int pick(Random random) {
        int r = random.nextInt(1000);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return i;
            }
        }
        return WEIGHTS.length - 1;
    }
}
