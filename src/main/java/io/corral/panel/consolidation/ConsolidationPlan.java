package io.corral.panel.consolidation;

import io.corral.panel.host.Host;
import java.util.List;

/**
 * A plan of moves: what it empties, against the lower bound (no plan keeps fewer hosts: see
 * {@link MovePlanner#lowerBound}), its moves in order, the downtime they are expected to cost (each running
 * server's move, downtimePerMoveSeconds: the average of the last moves measured, or an estimate before any, as
 * downtimeMeasured says), and each host before and after as shares of what it may hold: promised CPU, memory and disk
 * under its overcommit, and measured p95 CPU and memory under its size less the headroom.
 */
public record ConsolidationPlan(String window, double headroom, int hosts, int hostsHoldingServers, int lowerBound, int hostsKept,
                                List<String> emptiedHosts, List<PlannedMove> moves, double expectedDowntimeSeconds,
                                double downtimePerMoveSeconds, boolean downtimeMeasured, List<HostLoad> perHost, long plannedInMillis) {
    public record PlannedMove(long serverId, String hostname, long fromHostId, String fromHost, long toHostId, String toHost, boolean running) {
    }

    public record HostLoad(long hostId, String name, Host.Status status, boolean emptied, int serversBefore, int serversAfter,
                           Shares before, Shares after) {
    }

    /** Shares of a host's room: 1.0 is full. */
    public record Shares(double cpus, double memory, double disk, double measuredCpu, double measuredMemory) {
        static Shares of(double[] load, double[] capacity) {
            double[] s = new double[load.length];
            for (int d = 0; d < load.length; d++) {
                s[d] = capacity[d] == 0 ? 0 : load[d] / capacity[d];
            }
            return new Shares(s[0], s[1], s[2], s[3], s[4]);
        }

        /** The fullest dimension. */
        public double most() {
            return Math.max(Math.max(Math.max(cpus, memory), Math.max(disk, measuredCpu)), measuredMemory);
        }
    }
}
