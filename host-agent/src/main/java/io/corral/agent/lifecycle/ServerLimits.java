package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostProbe;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.spec.LimitsOperation;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.logging.Logger;
import java.util.Optional;

/** A server's limits: memory, swap, CPU, processes, disk, disk IO and bandwidth, as it holds them and as changed. */
public final class ServerLimits {
    private static final Logger LOG = Logger.getLogger(ServerLimits.class.getName());
    private final ServerManager servers;
    private final StateDir state;
    private final SpecStore specs;
    private final Cgroups cgroups;

    ServerLimits(ServerManager servers, StateDir state, SpecStore specs, Cgroups cgroups) {
        this.servers = servers;
        this.state = state;
        this.specs = specs;
        this.cgroups = cgroups;
    }

    /**
     * Changes limits; memory, swap, CPU, processes, bandwidth and disk IO take effect at once on a
     * running server. The disk quota is changed on a stopped server only, as that resizes its filesystem.
     * operation: the panel's operation, null from the command line. One sent again is answered as it went (the server as
     * it is, or 412 with the reason it was refused); an older one than the last is refused (412). Each is saved with its
     * outcome before it is answered, so, once the panel has an answer for it, no copy of it held up on the way changes the
     * server later.
     */
    public ServerView change(String id, LimitsChange change, Long operation) {
        try (ServerLock.Held lock = servers.lock(id, Action.limits)) {
            ServerSpec spec = servers.existing(id);
            Optional<InitProcess> init = servers.init(spec);
            LimitsOperation last = spec.lastLimitsOperation();
            if (operation != null && last != null && operation <= last.id()) {
                if (operation != last.id()) {
                    throw new AgentException(AgentException.Kind.SUPERSEDED,
                            "operation " + operation + " comes before operation " + last.id() + ", the last this server had");
                }
                if (last.refused() != null) {
                    throw new AgentException(AgentException.Kind.SUPERSEDED, last.refused().field(),
                            "operation " + operation + " was refused: " + last.refused().reason());
                }
                return servers.view(spec, init);
            }
            try {
                spec = changed(spec, init, change).withLastLimitsOperation(operation != null ? new LimitsOperation(operation, null) : last);
            } catch (RuntimeException e) {
                // refused, perhaps partway (a cgroup file, the bandwidth after the cgroup's): a running server holds again
                // what its spec, unchanged, says, and the refusal is kept; not where that failed too: the server then holds
                // some of each, and the operation sent again may yet be taken
                boolean heldAsBefore = init.isEmpty() || putBack(spec, init.get(), e);
                if (operation != null && heldAsBefore) {
                    try {
                        specs.save(spec.withLastLimitsOperation(new LimitsOperation(operation,
                                new LimitsOperation.Refusal(e instanceof AgentException a ? a.field() : null, String.valueOf(e.getMessage())))));
                    } catch (RuntimeException notSaved) {
                        e.addSuppressed(notSaved);
                    }
                }
                throw e;
            }
            specs.save(spec);
            return servers.view(spec, init);
        }
    }

    /** The change made on the server (the spec as it was kept): the spec with the new limits, to save. */
    private ServerSpec changed(ServerSpec spec, Optional<InitProcess> init, LimitsChange change) {
        String id = spec.id();
        Action.limits.check(id, ServerState.of(init));
        Limits limits = spec.limits().with(change);
        Validation.limits(limits, spec.limits().diskMiB() + HostProbe.diskFreeMiB(state.root()));
        if (limits.diskMiB() != spec.limits().diskMiB()) {
            if (init.isPresent()) {
                throw AgentException.invalid("limits.diskMiB", "can only change while the server is stopped");
            }
            ServerPaths paths = servers.paths(id);
            Disk.unmount(paths);
            try {
                Disk.resize(paths, limits.diskMiB());
            } catch (RuntimeException e) {
                throw AgentException.invalid("limits.diskMiB", "could not resize the disk to " + limits.diskMiB()
                        + " MiB: " + e.getMessage());
            } finally {
                Disk.mount(paths);
            }
        }
        if (init.isPresent()) {
            holdRunning(spec, init.get(), limits);
        }
        return spec.withLimits(limits);
    }

    /**
     * The running server held to its spec's limits again after a change failed: whether it is (else why not is added to
     * failure). Not cut short by an interrupt (the agent stopping) that cut the change short.
     */
    private boolean putBack(ServerSpec spec, InitProcess init, RuntimeException failure) {
        boolean interrupted = Thread.interrupted();
        try {
            holdRunning(spec, init, spec.limits());
            return true;
        } catch (RuntimeException back) {
            failure.addSuppressed(back);
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Limits put on a running server: its cgroup's, then its bandwidth; also what an adopted server is held to again. Where
     * that fails partway the server may hold some of each: it is marked in doubt ({@link ServerPaths#limitsInDoubt}) until
     * limits are put on it whole, so that the view says so, here and to the command line, and the panel sends its again.
     */
    void holdRunning(ServerSpec spec, InitProcess init, Limits limits) {
        Path doubt = servers.paths(spec.id()).limitsInDoubt();
        try {
            cgroups.apply(spec.group(), limits.cgroup(Disk.device(servers.paths(spec.id()))));
            if (spec.network() != null) {
                servers.network().limit(spec.id(), limits.bandwidth());
            }
        } catch (RuntimeException e) {
            try {
                Files.writeString(doubt, doubted(init));
            } catch (IOException notMarked) {
                e.addSuppressed(notMarked);
            }
            throw e;
        }
        try {
            Files.deleteIfExists(doubt);
        } catch (IOException e) {
            // held whole all the same: left marked, it only has the panel send its limits again
            LOG.warning("server " + spec.id() + ": " + e);
        }
    }

    /** Whether the server, running with that init, may hold limits other than its spec's ({@link #holdRunning}). */
    boolean inDoubt(ServerPaths paths, Optional<InitProcess> init) {
        if (init.isEmpty() || !Files.exists(paths.limitsInDoubt())) { // a stat, not an exception, for nearly every server
            return false;
        }
        try {
            return Files.readString(paths.limitsInDoubt()).equals(doubted(init.get()));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String doubted(InitProcess init) {
        return init.pid() + " " + init.startTicks();
    }

    /**
     * The server's limits as it holds them: read under its lock, since a change is saved once applied; waits up to
     * {@link ServerManager#READ_PATIENCE} for an action under way, then a 409.
     */
    public Limits of(String id) {
        try (ServerLock.Held lock = servers.awaitLock(id, Action.inspect, ServerManager.READ_PATIENCE)) {
            return servers.existing(id).limits();
        }
    }
}
