package io.corral.agent.metering;

import io.corral.agent.StateDir;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.sys.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every server's usage in one pass over the specs (each read once): the sampler's round. The epoch is
 * what the counters count from: the cgroup's inode (a group made anew, after a destroy and create or a
 * move to another host, starts its counters at zero).
 */
public final class ServerMeter {
    private final StateDir state;
    private final SpecStore specs;
    private final Cgroups cgroups;
    private final HostNetwork network;
    /** The inits found last round, by server id; touched by the sampler's thread only. */
    private final Map<String, InitProcess> inits = new HashMap<>();

    public ServerMeter(StateDir state, SpecStore specs, Cgroups cgroups, HostNetwork network) {
        this.state = state;
        this.network = network;
        this.specs = specs;
        this.cgroups = cgroups;
    }

    /** A server's usage with the epoch its counters count from. */
    record Metered(ServerStats stats, String counterEpoch) {
    }

    List<Metered> meterAll() {
        List<Metered> all = new ArrayList<>();
        List<ServerSpec> servers = specs.all();
        // one nft call a round for every server's port, and none on a host whose servers have no network
        Map<String, HostNetwork.Traffic> traffic = servers.stream().anyMatch(s -> s.network() != null) ? network.traffic() : Map.of();
        for (ServerSpec spec : servers) {
            try {
                String epoch = Files.getAttribute(cgroups.file("cpuacct", spec.group(), ""), "unix:ino").toString();
                HostNetwork.Traffic bytes = spec.network() == null ? HostNetwork.Traffic.NONE
                        : network.trafficOf(traffic, spec.id());
                all.add(new Metered(ServerStats.read(spec, init(spec), cgroups, state, bytes), epoch));
            } catch (IOException | RuntimeException e) {
                // destroyed meanwhile: nothing to meter any more
            }
        }
        inits.keySet().retainAll(all.stream().map(m -> m.stats().id()).toList());
        return all;
    }

    /**
     * The server's init, from the last round where that process still lives (one read of its stat
     * instead of the group's member list and their status files), else looked up afresh.
     */
    private Optional<InitProcess> init(ServerSpec spec) {
        InitProcess last = inits.get(spec.id());
        if (last != null) {
            if (last.alive()) {
                return Optional.of(last);
            }
            Processes.reap(last.pid()); // it ended on its own (a reboot or halt inside): collect it
        }
        Optional<InitProcess> init = InitProcess.find(cgroups, spec.group());
        init.ifPresentOrElse(i -> inits.put(spec.id(), i), () -> inits.remove(spec.id()));
        return init;
    }
}
