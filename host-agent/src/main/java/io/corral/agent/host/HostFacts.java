package io.corral.agent.host;

/**
 * What a host offers and what its servers have been given: the panel places servers with these.
 * Allocated figures are the sums of the servers' limits; free = capacity minus allocated.
 * userNamespaces: whether servers get their own user range (not built yet, so never); deviceControl:
 * whether the devices cgroup holds servers to the device allow-list.
 */
public record HostFacts(String hostname, String kernel, String cgroupVersion, boolean swapLimits,
                        int cores, long memoryMiB, long memoryAvailableMiB, long diskMiB, long diskFreeMiB,
                        int servers, int runningServers, long allocatedMemoryMiB, double allocatedCpus,
                        long allocatedDiskMiB, long freeMemoryMiB, double freeCpus, long freeDiskMiB,
                        boolean userNamespaces, boolean deviceControl) {
}
