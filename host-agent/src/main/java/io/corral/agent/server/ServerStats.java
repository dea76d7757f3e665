package io.corral.agent.server;

import io.corral.agent.cgroup.CgroupStats;

/** One usage sample of a server: its cgroup counters and its disk use. */
public record ServerStats(String id, ServerState state, CgroupStats cgroup, long diskUsedBytes, long diskBytes) {
}
