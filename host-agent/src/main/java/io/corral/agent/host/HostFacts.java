package io.corral.agent.host;

/**
 * What a host offers and what its servers have been given: the panel places servers with these.
 * Allocated figures are the sums of the servers' limits; free = capacity minus allocated.
 * userNamespaces: whether new servers get a user namespace and id range of their own, and if not,
 * why (userNamespacesUnavailable); serversWithoutUserNamespace counts the servers that run without
 * one (made before, or on a host without). deviceControl: whether servers are held to the device
 * allow-list by a cgroup.
 */
public record HostFacts(String hostname, String kernel, String cgroupVersion, boolean swapLimits,
                        int cores, long memoryMiB, long memoryAvailableMiB, long diskMiB, long diskFreeMiB,
                        int servers, int runningServers, long allocatedMemoryMiB, double allocatedCpus,
                        long allocatedDiskMiB, long freeMemoryMiB, double freeCpus, long freeDiskMiB,
                        boolean userNamespaces, String userNamespacesUnavailable,
                        int serversWithoutUserNamespace, boolean deviceControl) {
}
