package io.corral.panel.consolidation;

import java.util.Arrays;

/**
 * The first host, in a fixed order, with room for a server. A tree over the hosts in that order keeps, per range of
 * hosts, the most room left in each dimension: a range whose most is short of the server's need in any dimension is
 * passed over whole. The answer is the host that a scan in the order would find, found in a fraction of the time at
 * thousands of hosts (bench/RESULTS.md, "Consolidation planner").
 */
final class FirstFit {
    /** Room above the overcommit's own rounding slack: a range is passed over only when it surely cannot fit. */
    private static final double SLACK = 1e-9;
    private final int[] order;
    private final int[] leafOf;
    private final int leaves, dims;
    private final double[][] capacity, load;
    private final boolean[] open;
    /** Per tree node (the root is 1, a node's children 2i and 2i+1), per dimension: the most room below it. */
    private final double[][] room;

    /**
     * Over the hosts in order (host indices), their capacities and their loads, which the caller changes and then
     * reports through {@link #changed}. No host is open until {@link #open} is called for it.
     */
    FirstFit(int[] order, double[][] capacity, double[][] load, int dims) {
        this.order = order;
        this.capacity = capacity;
        this.load = load;
        this.dims = dims;
        int size = 1;
        while (size < Math.max(1, order.length)) {
            size *= 2;
        }
        leaves = size;
        leafOf = new int[capacity.length];
        Arrays.fill(leafOf, -1);
        for (int p = 0; p < order.length; p++) {
            leafOf[order[p]] = p;
        }
        open = new boolean[capacity.length];
        room = new double[2 * leaves][dims];
        for (double[] r : room) {
            Arrays.fill(r, Double.NEGATIVE_INFINITY);
        }
    }

    /** The host takes servers from now on. */
    void open(int host) {
        open[host] = true;
        changed(host);
    }

    /** The host's load changed: a host not open has no room to change; above it, only the ranges whose most room changed. */
    void changed(int host) {
        if (!open[host]) {
            return;
        }
        int node = leaves + leafOf[host];
        for (int d = 0; d < dims; d++) {
            room[node][d] = capacity[host][d] * (1 + SLACK) - load[host][d];
        }
        for (node /= 2; node >= 1; node /= 2) {
            boolean same = true;
            for (int d = 0; d < dims; d++) {
                double most = Math.max(room[2 * node][d], room[2 * node + 1][d]);
                same &= most == room[node][d];
                room[node][d] = most;
            }
            if (same) {
                return;
            }
        }
    }

    /** The first open host in the order with room for the demand, or -1. */
    int first(double[] demand) {
        return first(1, demand);
    }

    private int first(int node, double[] demand) {
        for (int d = 0; d < dims; d++) {
            if (room[node][d] < demand[d]) {
                return -1;
            }
        }
        if (node >= leaves) {
            if (node - leaves >= order.length) {
                return -1;
            }
            int host = order[node - leaves];
            return open[host] && MovePlanner.fits(load[host], demand, capacity[host]) ? host : -1;
        }
        int left = first(2 * node, demand);
        return left >= 0 ? left : first(2 * node + 1, demand);
    }
}
