package io.corral.panel.consolidation;

/** A measured quantity over a window: its average and 95th percentile (of hourly averages). */
public record Measured(double average, double p95) {
    static final Measured NONE = new Measured(0, 0);
}
