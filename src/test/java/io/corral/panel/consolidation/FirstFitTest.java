package io.corral.panel.consolidation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree answers the host a scan in the same order answers, as hosts open and their loads change. */
class FirstFitTest {
    @Test
    void theFirstHostWithRoomIsTheOneAScanFinds() {
        Random random = new Random(7);
        int hosts = 300, dims = 3;
        double[][] capacity = new double[hosts][dims], load = new double[hosts][dims];
        int[] order = new int[hosts];
        boolean[] open = new boolean[hosts];
        for (int h = 0; h < hosts; h++) {
            order[h] = (h * 7) % hosts; // an order other than the indices'
            for (int d = 0; d < dims; d++) {
                capacity[h][d] = 10 + random.nextInt(20);
                load[h][d] = random.nextDouble() * capacity[h][d];
            }
        }
        FirstFit fit = new FirstFit(order, capacity, load, dims);
        for (int step = 0; step < 20_000; step++) {
            int h = random.nextInt(hosts);
            if (!open[h] && random.nextInt(4) == 0) {
                open[h] = true;
                fit.open(h);
            }
            double[] demand = {random.nextDouble() * 6, random.nextDouble() * 6, random.nextDouble() * 6};
            int scanned = -1;
            for (int i : order) {
                if (open[i] && MovePlanner.fits(load[i], demand, capacity[i])) {
                    scanned = i;
                    break;
                }
            }
            assertEquals(scanned, fit.first(demand), "step " + step);
            if (scanned >= 0) { // placed there; now and then a server leaves another host
                for (int d = 0; d < dims; d++) {
                    load[scanned][d] += demand[d];
                }
                fit.changed(scanned);
            }
            int leaving = random.nextInt(hosts);
            for (int d = 0; d < dims; d++) {
                load[leaving][d] = Math.max(0, load[leaving][d] - random.nextDouble() * 4);
            }
            fit.changed(leaving);
        }
    }
}
