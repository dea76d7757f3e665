package io.corral.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rate a test measured against the limit it set: printed, so a test run shows the figures, and held within 10%. */
public final class Measured {
    private Measured() {
    }

    public static void withinTenPercent(double limit, double measured, String unit, String what) {
        System.out.printf("measured %s: %.2f %s against a limit of %s%n", what, measured, unit, limit);
        assertTrue(Math.abs(measured - limit) <= limit / 10, what + ": " + measured + " " + unit + " against a limit of " + limit);
    }
}
