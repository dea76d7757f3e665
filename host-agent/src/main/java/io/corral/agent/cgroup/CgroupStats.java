package io.corral.agent.cgroup;

/**
 * What a server's group has used: CPU time, memory now and at most, processes, OOM kills, CPU
 * throttling, and how often a fork was refused at the process limit.
 */
public record CgroupStats(long cpuNanos, long memoryBytes, long memoryPeakBytes, long processes,
                          long oomKills, long throttledNanos, long pidsLimitHits) {
}
