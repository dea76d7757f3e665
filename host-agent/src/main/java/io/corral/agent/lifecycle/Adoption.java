package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.backup.DiskPause;
import io.corral.agent.backup.OwnerShift;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import java.nio.file.Files;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * After the agent (re)starts, also after kill -9 or a host reboot: removes servers whose creation
 * never finished and those a move was bringing here but did not commit, unmounts what a restore cut short left mounted, mounts the disks of the others, thaws what a snapshot cut short left frozen, adopts those still running (found through their
 * cgroups, never started twice, their network rules and limits kept as they are or made again) and boots those
 * that should run but do not.
 */
final class Adoption {
    private static final Logger LOG = Logger.getLogger(Adoption.class.getName());
    private final ServerManager servers;
    private final SpecStore specs;

    Adoption(ServerManager servers, SpecStore specs) {
        this.servers = servers;
        this.specs = specs;
    }

    void run() {
        try {
            // What no spec names (a change cut short by a crash) would otherwise stay, and reach whichever server gets
            // its address next. A stopped server's come back when it starts; its forwarded traffic has nobody to reach.
            servers.network().clearForwards(servers::networks);
        } catch (RuntimeException e) {
            LOG.warning("emptying the host's port forwards: " + e.getMessage());
        }
        for (String id : specs.ids()) {
            ServerPaths paths = servers.paths(id);
            try {
                if (Files.exists(paths.creating()) || specs.find(id).isEmpty()) {
                    LOG.info("removing half-created server " + id);
                    servers.removeFiles(id);
                    continue;
                }
                if (Files.exists(paths.incoming())) {
                    // the sending host still has the server: the panel moves it again from there if it wants
                    LOG.info("removing server " + id + ", the receiving end of a move that did not commit");
                    servers.destroy(id);
                    continue;
                }
                ServerSpec spec = specs.get(id);
                Disk.mount(paths);
                releaseCutShort(spec, paths);
                Optional<InitProcess> init = servers.init(spec);
                if (init.isPresent()) {
                    LOG.info("adopted running server " + id + " (init pid " + init.get().pid() + ")");
                    keepHeld(spec, init.get());
                } else if (spec.desired() == ServerSpec.DesiredState.running) {
                    LOG.info("starting server " + id + ", which should be running");
                    try (ServerLock.Held lock = servers.lock(id, Action.start)) {
                        servers.boot(spec);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warning("reconciling server " + id + ": " + e.getMessage());
            }
        }
    }

    /**
     * A running server's network rules and limits made again as its spec says (no change where they are): an agent
     * that died during a change of limits had put some of the new ones on the server, but saved none.
     */
    private void keepHeld(ServerSpec spec, InitProcess init) {
        if (spec.network() != null) {
            servers.network().applyRulesAndUplink(spec.id(), spec.network(), spec.firewall(), spec.forwards(), servers::networks);
        }
        servers.limits().holdRunning(spec, init, spec.limits());
    }

    /**
     * What an agent that died during a snapshot, backup or restore left: the server frozen (processes, file
     * system) runs again, and the image a restore was moving the owners of is unmounted.
     */
    private void releaseCutShort(ServerSpec spec, ServerPaths paths) {
        try (ServerLock.Held lock = servers.lock(spec.id(), Action.snapshot)) {
            DiskPause.release(servers.cgroups(), spec.group(), paths.disk());
            OwnerShift.release(paths.shifting());
        } catch (AgentException e) {
            // held by another live process (the CLI), which thaws what it froze and unmounts what it mounted
            LOG.info("server " + spec.id() + ": " + e.getMessage());
        }
    }
}
