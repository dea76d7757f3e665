package io.corral.panel.consolidation;

import io.corral.panel.host.Host;

/**
 * One host over a window: what it has, what its servers were promised (with the overcommit that
 * makes), what it measurably used (CPU in cores, memory and its servers' disk in GiB), the share of
 * sampled hours in which its CPU was idle, and whether it is nearly idle as a whole.
 */
public record HostStatistics(long hostId, String name, Host.Status status, long servers, Resources capacity,
                             Resources allocated, Resources overcommit, Measured cpuUse, Measured memoryUseGiB,
                             Measured diskUseGiB, double idleShare, double observedHours, boolean nearlyIdle) {

    /** The p95 use in each dimension: what consolidation must find room for. */
    Resources p95() {
        return new Resources(cpuUse.p95(), memoryUseGiB.p95(), diskUseGiB.p95());
    }
}
