package io.corral.agent.host;

import io.corral.agent.StateDir;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.spec.ServerSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What a host offers and what its servers have been given: the panel places servers with these.
 * Allocated figures are the sums of the servers' limits; free = capacity minus allocated.
 * userNamespaces: whether new servers get a user namespace and id range of their own, and if not,
 * why (userNamespacesUnavailable); serversWithoutUserNamespace counts the servers that run without
 * one (made before, or on a host without). deviceControl: whether servers are held to the device
 * allow-list by a cgroup. templates: those installed, which servers can be made from now;
 * buildableTemplates: those this host has the tools to build (`corral-agent template build NAME`).
 * instance: the agent's name for what it makes on the host (its cgroup parent, its nftables tables).
 */
public record HostFacts(String hostname, String kernel, String cgroupVersion, boolean swapLimits,
                        int cores, long memoryMiB, long memoryAvailableMiB, long diskMiB, long diskFreeMiB,
                        int servers, int runningServers, long allocatedMemoryMiB, double allocatedCpus,
                        long allocatedDiskMiB, long freeMemoryMiB, double freeCpus, long freeDiskMiB,
                        boolean userNamespaces, String userNamespacesUnavailable,
                        int serversWithoutUserNamespace, boolean deviceControl, List<String> templates,
                        List<String> buildableTemplates, String instance) {

    /** The host's facts now; state: the agent's directory, where the servers' disks are; running: how many of the servers run. */
    public static HostFacts of(StateDir state, List<ServerSpec> servers, int running, Cgroups cgroups,
                               UserNamespaces userNamespaces, List<String> templates, List<String> buildableTemplates) {
        long memory = HostProbe.memoryMiB();
        int cores = HostProbe.cores();
        Path stateDir = state.root();
        long disk = HostProbe.diskMiB(stateDir);
        long allocatedMemory = servers.stream().mapToLong(s -> s.limits().memoryMiB()).sum();
        double allocatedCpus = servers.stream().mapToDouble(s -> s.limits().cpus()).sum();
        long allocatedDisk = servers.stream().mapToLong(s -> s.limits().diskMiB()).sum();
        return new HostFacts(HostProbe.hostname(), HostProbe.kernel(), cgroups.version(), cgroups.limitsSwap(),
                cores, memory, HostProbe.memoryAvailableMiB(), disk, HostProbe.diskFreeMiB(stateDir),
                servers.size(), running, allocatedMemory, allocatedCpus, allocatedDisk,
                memory - allocatedMemory, cores - allocatedCpus, disk - allocatedDisk, userNamespaces.enabled(),
                userNamespaces.unavailable(), (int) servers.stream().filter(s -> s.users() == null).count(),
                cgroups.controlsDevices(), templates, buildableTemplates, state.instance());
    }
}
