package io.corral.agent.cgroup;

/**
 * What a server's group has used: CPU time, memory now and at most, processes, OOM kills, CPU
 * throttling, how often a fork was refused at the process limit, and the time its tasks stalled
 * waiting for CPU, memory and I/O (pressure stall information; 0 where the kernel keeps none).
 */
public record CgroupStats(long cpuNanos, long memoryBytes, long memoryPeakBytes, long processes,
                          long oomKills, long throttledNanos, long pidsLimitHits,
                          long cpuStallMicros, long memoryStallMicros, long ioStallMicros) {
}
