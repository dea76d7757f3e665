package io.corral.panel.limits;

/**
 * What a server may move, as its plan sets it for every server (a customer does not choose it):
 * megabits per second into and out of it, and MiB and operations per second on its disk, for reads and
 * for writes each; 0 is no limit. In the agent's units and bounds (host-agent/README.md, "Bandwidth
 * and disk IO").
 */
public record Rates(int networkInMbit, int networkOutMbit, int diskMiBps, int diskIops) {
    public static final Rates NONE = new Rates(0, 0, 0, 0);
    public static final int MAX_MBIT = 100_000, MAX_DISK_MIBPS = 100_000, MAX_DISK_IOPS = 10_000_000;
}
