package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
import io.corral.agent.containment.IsolationReport;
import io.corral.agent.credentials.Credentials;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.runtime.ConsoleLog;
import io.corral.agent.runtime.CredentialsWriter;
import io.corral.agent.runtime.Exec;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.runtime.ExecSlots;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.runtime.Terminal;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ways into a server and out of it: root's SSH keys, commands run inside, a terminal, its console log and the
 * report of how it is held in. What runs inside is entered from the host's own binaries, confined as the server is.
 */
public final class ServerAccess {
    private final ServerManager servers;
    private final SpecStore specs;
    private final Cgroups cgroups;
    private final ExecSlots execSlots = new ExecSlots();

    ServerAccess(ServerManager servers, SpecStore specs, Cgroups cgroups) {
        this.servers = servers;
        this.specs = specs;
        this.cgroups = cgroups;
    }

    public List<String> sshKeys(String id) {
        return servers.existing(id).credentials().sshKeys();
    }

    /**
     * Replaces root's SSH keys: written into a running server at once (from inside it, as its root; a
     * server whose /root/.ssh is a link or no directory is refused, and they wait for its next boot),
     * into a stopped one at its next boot. authorized_keys is written whole: keys added by hand inside
     * are replaced.
     */
    public List<String> changeSshKeys(String id, List<String> keys) {
        Credentials.validateKeys(keys, "sshKeys");
        try (ServerLock.Held lock = servers.lock(id, Action.sshKeys)) {
            ServerSpec spec = servers.existing(id);
            ServerSpec changed = spec.withCredentials(spec.credentials().withKeys(keys));
            specs.save(changed);
            ServerPaths paths = servers.paths(id);
            PendingCredentials.keys(paths, changed.credentials());
            Optional<InitProcess> init = servers.init(changed);
            if (init.isPresent()) {
                CredentialsWriter.write(init.get(), changed.users() != null, PendingCredentials.helperOptions(paths),
                        cgroups.joinFiles(changed.group()), Containment.confinement(cgroups.controlsDevices()));
                PendingCredentials.taken(paths);
            }
            return changed.credentials().sshKeys();
        }
    }

    /** Runs a command in the running server; at most {@link ExecSlots} at once, refused past that. */
    public ExecResult exec(String id, List<String> command, Duration timeout) {
        ServerSpec spec = servers.existing(id);
        InitProcess init = running(spec);
        try (ExecSlots.Slot slot = execSlots.take(id)) {
            return Exec.run(init, spec.users() != null, cgroups.joinFiles(spec.group()),
                    Containment.confinement(cgroups.controlsDevices()), command, timeout);
        }
    }

    /** Refuses (409, naming the state) unless the server runs: a console may only be asked of a running one. */
    public void requireRunning(String id) {
        running(servers.existing(id));
    }

    /** A login shell in the running server on a terminal of its own (see {@link Terminal}); the console bounds how many. */
    public Terminal terminal(String id) {
        ServerSpec spec = servers.existing(id);
        return Terminal.open(running(spec), spec.users() != null, cgroups.joinFiles(spec.group()),
                Containment.confinement(cgroups.controlsDevices()));
    }

    /**
     * The server's console log after the offset after (null: its end), at most limit bytes (null: and
     * at most {@link ConsoleLog#MAX_READ}); read from the file its relay keeps, whether the server runs or not.
     */
    public ConsoleLog.Chunk console(String id, Long after, Long limit) {
        if (after != null && after < 0) {
            throw AgentException.invalid("after", "must be 0 or more");
        }
        if (limit != null && (limit < 1 || limit > ConsoleLog.MAX_READ)) {
            throw AgentException.invalid("limit", "must be between 1 and " + ConsoleLog.MAX_READ);
        }
        servers.existing(id);
        return ConsoleLog.read(servers.paths(id).console(), after, limit == null ? ConsoleLog.MAX_READ : limit.intValue());
    }

    /** How the running server is held in, read from its init (see {@link IsolationReport}). */
    public IsolationReport isolation(String id) {
        return IsolationReport.of(running(servers.existing(id)).pid(), cgroups.controlsDevices());
    }

    /** The destroyed server's count of commands running is forgotten. */
    void forget(String id) {
        execSlots.forget(id);
    }

    /** The server's init, refused (409, naming the state) unless it runs. */
    private InitProcess running(ServerSpec spec) {
        Optional<InitProcess> init = servers.init(spec);
        Action.exec.check(spec.id(), ServerState.of(init));
        return init.get();
    }
}
