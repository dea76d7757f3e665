package io.corral.panel.consolidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner on generated fleets whose best packing is known, and the rules no plan may break. */
class MovePlannerTest {
    static final double[] HOST = {64, 256 * 1024, 2 * 1024 * 1024, 32, 200 * 1024};

    /**
     * Servers that fill exactly k hosts (each host's capacity cut into pieces, the same share of every dimension),
     * scattered over hosts hosts at random without overfilling any: the best plan keeps k hosts, the lower bound.
     */
    static Fleet fleet(long seed, int k, int hosts) {
        Random random = new Random(seed);
        List<MovePlanner.Bin> bins = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            bins.add(new MovePlanner.Bin(h + 1, true, false, HOST.clone()));
        }
        List<double[]> demands = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            double left = 1;
            while (left > 1e-9) {
                double share = Math.min(left, 0.02 + random.nextDouble() * 0.25);
                double[] d = new double[HOST.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = HOST[i] * share;
                }
                demands.add(d);
                left -= share;
            }
        }
        double[][] load = new double[hosts][HOST.length];
        List<MovePlanner.Item> items = new ArrayList<>();
        long id = 1;
        for (double[] d : demands) {
            for (int tries = 0; ; tries++) {
                int h = random.nextInt(hosts);
                if (fits(load[h], d)) {
                    for (int i = 0; i < d.length; i++) {
                        load[h][i] += d[i];
                    }
                    items.add(new MovePlanner.Item(id++, h + 1, d, true));
                    break;
                }
                if (tries > 10_000) {
                    throw new IllegalStateException("no room to scatter a server");
                }
            }
        }
        return new Fleet(bins, items);
    }

    record Fleet(List<MovePlanner.Bin> bins, List<MovePlanner.Item> items) {
    }

    private static boolean fits(double[] load, double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (load[i] + d[i] > HOST[i] + 1e-6) {
                return false;
            }
        }
        return true;
    }

    @Test
    void generatedFleetsEndWithinFivePercentOfTheBestPacking() {
        for (long seed = 1; seed <= 20; seed++) {
            int k = 20;
            Fleet f = fleet(seed, k, 60);
            assertEquals(k, MovePlanner.of(f.bins(), f.items()).lowerBound(), "the lower bound is the known optimum");
            MovePlanner.Result r = MovePlanner.of(f.bins(), f.items()).plan();
            int kept = f.bins().size() - r.emptied().size();
            assertTrue(kept <= Math.ceil(k * 1.05), "seed " + seed + ": " + kept + " hosts kept, the best is " + k);
            checkSound(f, r);
        }
    }

    @Test
    void noHostGoesOverAnyDimensionAndNoServerMovesTwice() {
        Fleet f = fleet(7, 30, 90);
        checkSound(f, MovePlanner.of(f.bins(), f.items()).plan());
    }

    @Test
    void drainingHostsAreEmptiedAndTakeNothingDownHostsAndUnmovableServersStay() {
        double[] small = {1, 1024, 10 * 1024, 0.5, 512};
        List<MovePlanner.Bin> bins = List.of(
                new MovePlanner.Bin(1, false, true, HOST.clone()), // draining
                new MovePlanner.Bin(2, true, false, HOST.clone()),
                new MovePlanner.Bin(3, false, false, HOST.clone()), // down
                new MovePlanner.Bin(4, true, false, HOST.clone()));
        List<MovePlanner.Item> items = List.of(
                new MovePlanner.Item(10, 1, small, true),
                new MovePlanner.Item(11, 2, small, true),
                new MovePlanner.Item(12, 3, small, true),
                new MovePlanner.Item(13, 4, small, false)); // say, with an address on its host's network
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        Map<Long, Long> to = new HashMap<>();
        r.moves().forEach(m -> to.put(m.server(), m.to()));
        assertEquals(4L, to.get(10L), "the draining host's server goes to a host that stays: " + r.moves());
        assertEquals(4L, to.get(11L));
        assertEquals(Set.of(10L, 11L), to.keySet(), "the down host's and the unmovable server stay: " + r.moves());
        assertEquals(List.of(1L, 2L), r.emptied());
    }

    /** A draining host's servers go to an empty host where the hosts holding servers have no room for them. */
    @Test
    void aDrainingHostsServersGoToAnEmptyHostWhereNoOtherHasRoom() {
        double[] most = HOST.clone(), half = HOST.clone();
        for (int i = 0; i < HOST.length; i++) {
            most[i] *= 0.9;
            half[i] *= 0.5;
        }
        List<MovePlanner.Bin> bins = List.of(new MovePlanner.Bin(1, true, false, HOST.clone()), new MovePlanner.Bin(2, false, true, HOST.clone()),
                new MovePlanner.Bin(3, true, false, HOST.clone()));
        List<MovePlanner.Item> items = List.of(new MovePlanner.Item(10, 1, most, true), new MovePlanner.Item(11, 2, half, true));
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        assertEquals(List.of(new MovePlanner.Move(11, 2, 3)), r.moves());
        assertEquals(List.of(2L), r.emptied());
    }

    /** Servers that ask for nothing measurable are still packed together, their hosts emptied but one. */
    @Test
    void serversAskingForNothingArePackedTogether() {
        double[] nothing = new double[HOST.length];
        List<MovePlanner.Bin> bins = List.of(new MovePlanner.Bin(1, true, false, HOST.clone()), new MovePlanner.Bin(2, true, false, HOST.clone()));
        List<MovePlanner.Item> items = List.of(new MovePlanner.Item(10, 1, nothing, true), new MovePlanner.Item(11, 2, nothing, true));
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        assertEquals(1, r.moves().size(), r.moves().toString());
        assertEquals(1, r.emptied().size());
    }

    @Test
    void aHostThatCannotBeEmptiedWholeMovesNothing() {
        double[] big = HOST.clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 0.6;
        }
        List<MovePlanner.Bin> bins = List.of(new MovePlanner.Bin(1, true, false, HOST.clone()), new MovePlanner.Bin(2, true, false, HOST.clone()));
        List<MovePlanner.Item> items = List.of(new MovePlanner.Item(10, 1, big, true), new MovePlanner.Item(11, 2, big, true));
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        assertEquals(List.of(), r.moves());
        assertEquals(List.of(), r.emptied());
    }

    /** A host over what it may hold already (its overcommit lowered since): a plan, not a failure; no host goes over by it. */
    @Test
    void aHostAlreadyOverWhatItMayHoldGetsAPlanAll() {
        double[] big = HOST.clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 0.7;
        }
        double[] small = {1, 1024, 10 * 1024, 0.5, 512};
        List<MovePlanner.Bin> bins = List.of(new MovePlanner.Bin(1, true, false, HOST.clone()), new MovePlanner.Bin(2, true, false, HOST.clone()),
                new MovePlanner.Bin(3, true, false, HOST.clone()));
        List<MovePlanner.Item> items = List.of(new MovePlanner.Item(10, 1, big, true), new MovePlanner.Item(11, 1, big, true),
                new MovePlanner.Item(12, 3, small, true));
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        for (MovePlanner.Move m : r.moves()) {
            double[] after = new double[HOST.length];
            items.stream().filter(s -> r.moves().stream().noneMatch(o -> o.server() == s.id()) ? s.host() == m.to()
                    : r.moves().stream().anyMatch(o -> o.server() == s.id() && o.to() == m.to())).forEach(s -> {
                for (int i = 0; i < after.length; i++) {
                    after[i] += s.demand()[i];
                }
            });
            assertTrue(fits(new double[HOST.length], after), "host " + m.to() + " takes server " + m.server() + " only with room: " + r.moves());
        }
        assertEquals(r.moves().size(), r.moves().stream().map(MovePlanner.Move::server).distinct().count());
    }

    /**
     * A host holding well over what it may hold (its overcommit lowered since) keeps its servers and takes none; the
     * hosts beside it still pack together. Counting it at its capacity, the lower bound was three hosts, all of them,
     * and the plan moved nothing; counting the empty host that is down, the bound was above the hosts the plan keeps.
     */
    @Test
    void aHostOverWhatItMayHoldDoesNotKeepTheOthersFromPacking() {
        double[] most = HOST.clone(), tenth = HOST.clone();
        for (int i = 0; i < HOST.length; i++) {
            most[i] *= 0.6;
            tenth[i] *= 0.1;
        }
        List<MovePlanner.Bin> bins = List.of(new MovePlanner.Bin(1, true, false, HOST.clone()), new MovePlanner.Bin(2, true, false, HOST.clone()),
                new MovePlanner.Bin(3, true, false, HOST.clone()), new MovePlanner.Bin(4, false, false, HOST.clone())); // 4: down, empty
        List<MovePlanner.Item> items = List.of(new MovePlanner.Item(10, 1, most, true), new MovePlanner.Item(11, 1, most, true),
                new MovePlanner.Item(12, 1, most, true), new MovePlanner.Item(13, 1, most, true),
                new MovePlanner.Item(14, 2, tenth, true), new MovePlanner.Item(15, 3, tenth, true));
        assertEquals(2, MovePlanner.of(bins, items).lowerBound(), "host 1 holds its 2.4 hosts' worth, one more the rest; the empty down host "
                + "holds nothing, as the plan's hosts kept count it");
        MovePlanner.Result r = MovePlanner.of(bins, items).plan();
        assertEquals(1, r.moves().size(), r.moves().toString());
        assertEquals(1, r.emptied().size(), "one of hosts 2 and 3 emptied: " + r.emptied());
        assertTrue(r.moves().get(0).to() != 1, "the host over what it may hold takes nothing: " + r.moves());
    }

    /** Every host within its capacity after the moves, each server moved at most once, and only from where it is. */
    static void checkSound(Fleet f, MovePlanner.Result r) {
        Map<Long, Long> at = new HashMap<>();
        Map<Long, double[]> demand = new HashMap<>();
        f.items().forEach(s -> {
            at.put(s.id(), s.host());
            demand.put(s.id(), s.demand());
        });
        Set<Long> moved = new HashSet<>();
        for (MovePlanner.Move m : r.moves()) {
            assertTrue(moved.add(m.server()), "server " + m.server() + " moves twice");
            assertEquals(at.get(m.server()), m.from());
            at.put(m.server(), m.to());
        }
        Map<Long, double[]> load = new HashMap<>();
        at.forEach((server, host) -> {
            double[] l = load.computeIfAbsent(host, h -> new double[HOST.length]);
            for (int i = 0; i < l.length; i++) {
                l[i] += demand.get(server)[i];
            }
        });
        load.forEach((host, l) -> assertTrue(fits(new double[HOST.length], l), "host " + host + " over its capacity"));
        for (long emptied : r.emptied()) {
            assertTrue(!at.containsValue(emptied), "host " + emptied + " is said to be emptied, yet holds servers");
        }
    }
}
