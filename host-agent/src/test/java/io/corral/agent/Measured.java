package io.corral.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rate a test measured against the limit it set: printed, so a test run shows the figures, and held. Held means
 * at most 10% above the limit, the limit's promise, and at least 75% of it: a limit in the wrong unit or scale falls
 * far below that, while a machine busy with other tests (the suite runs the panel's beside the agent's) may slow a
 * transfer some way below its limit without anything being wrong with the limit.
 */
public final class Measured {
    private Measured() {
    }

    public static void held(double limit, double measured, String unit, String what) {
        System.out.printf("measured %s: %.2f %s against a limit of %s%n", what, measured, unit, limit);
        assertTrue(measured <= limit * 1.1 && measured >= limit * 0.75,
                what + ": " + measured + " " + unit + " against a limit of " + limit + " (held: from 75% to 110% of it)");
    }
}
