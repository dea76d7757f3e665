package io.corral.agent.spec;

/** Some of a server's limits, as a request gives them; null fields stay as they are. */
public record LimitsChange(Long memoryMiB, Long swapMiB, Double cpus, Integer cpuWeight, Integer pids, Long diskMiB) {
}
