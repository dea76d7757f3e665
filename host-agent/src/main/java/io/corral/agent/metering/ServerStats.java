package io.corral.agent.metering;

import io.corral.agent.cgroup.CgroupStats;
import io.corral.agent.runtime.ServerState;

/** One usage sample of a server: its cgroup counters and its disk use. */
public record ServerStats(String id, ServerState state, CgroupStats cgroup, long diskUsedBytes, long diskBytes) {
}
