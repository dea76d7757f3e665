package io.corral.agent.spec;

/** Some of a server's limits, as a request gives them; null fields stay as they are. */
public record LimitsChange(Long memoryMiB, Long swapMiB, Double cpus, Integer cpuWeight, Integer pids, Long diskMiB,
                           Long networkInMbit, Long networkOutMbit, Long diskMiBps, Long diskIops) {
    /** A change of the limits other than bandwidth and disk IO. */
    public LimitsChange(Long memoryMiB, Long swapMiB, Double cpus, Integer cpuWeight, Integer pids, Long diskMiB) {
        this(memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB, null, null, null, null);
    }
}
