package io.corral.agent.metering;

import io.corral.agent.StateDir;
import io.corral.agent.cgroup.CgroupStats;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.ServerSpec;
import java.util.Optional;

/** One usage sample of a server: its cgroup counters and its disk use. */
public record ServerStats(String id, ServerState state, CgroupStats cgroup, long diskUsedBytes, long diskBytes) {
    /** The server's usage now; init: its init, if it runs. */
    public static ServerStats read(ServerSpec spec, Optional<InitProcess> init, Cgroups cgroups, StateDir state) {
        return new ServerStats(spec.id(), ServerState.of(init), cgroups.stats(spec.group()),
                Disk.usedBytes(ServerPaths.of(state, spec.id())), spec.limits().diskMiB() * 1024 * 1024);
    }
}
