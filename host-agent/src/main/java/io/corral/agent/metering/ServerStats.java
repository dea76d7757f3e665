package io.corral.agent.metering;

import io.corral.agent.StateDir;
import io.corral.agent.cgroup.CgroupStats;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.ServerSpec;
import java.util.Optional;

/**
 * One usage sample of a server: its cgroup counters, its disk use and the bytes its network port
 * passed (received and sent by the server, counted on the host's side since its rules were made: they
 * last from its creation to its destroy, across its restarts, so they count within the cgroup's epoch).
 */
public record ServerStats(String id, ServerState state, CgroupStats cgroup, long diskUsedBytes, long diskBytes,
                          long networkInBytes, long networkOutBytes) {
    /** The server's usage now; init: its init, if it runs; traffic: its port's bytes (none without a network). */
    public static ServerStats read(ServerSpec spec, Optional<InitProcess> init, Cgroups cgroups, StateDir state,
                                   HostNetwork.Traffic traffic) {
        return new ServerStats(spec.id(), ServerState.of(init), cgroups.stats(spec.group()),
                Disk.usedBytes(ServerPaths.of(state, spec.id())), spec.limits().diskMiB() * 1024 * 1024,
                traffic.inBytes(), traffic.outBytes());
    }
}
