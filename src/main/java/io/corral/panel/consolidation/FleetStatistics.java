package io.corral.panel.consolidation;

import java.time.Instant;
import java.util.List;

/**
 * Every host over a window, and what the fleet as a whole would need: its measured p95 use (the sum
 * of each host's, which is never below the p95 of the sum) plus the headroom, and how many hosts,
 * the largest first, hold that; the hosts that are nearly idle are the ones to empty.
 */
public record FleetStatistics(String window, Instant from, Instant to, double headroom, double idleBelow,
                              Resources capacity, Resources allocated, Resources p95Use, Resources needed,
                              int hosts, int hostsNeeded, List<String> nearlyIdleHosts, List<HostStatistics> perHost) {
}
