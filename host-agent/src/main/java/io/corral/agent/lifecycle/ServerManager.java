package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.backup.DiskPause;
import io.corral.agent.backup.OwnerShift;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.credentials.Credentials;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostFacts;
import io.corral.agent.metering.ServerStats;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.runtime.Halt;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.Launcher;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.spec.UserRanges;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.Processes;
import io.corral.agent.template.Template;
import io.corral.agent.template.TemplateStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The lifecycle of the virtual servers on this host. Each action takes the server's lock, checks
 * the transition table against the state observed on the live system, and leaves either the new
 * state or the old one, never something in between.
 */
public final class ServerManager {
    /** How long a read of a server's rules waits for a change under way (a change of rules takes well under a second). */
    static final Duration READ_PATIENCE = Duration.ofSeconds(5);
    private final StateDir state;
    private final Cgroups cgroups;
    private final TemplateStore templates;
    private final SpecStore specs;
    private final ServerLock locks;
    private final Duration stopGrace;
    private final UserNamespaces userNamespaces;
    private final HostNetwork network;
    private final ServerRules rules;
    private final ServerAccess access;
    private final ServerCreation creation;
    private final ServerLimits limits;

    public ServerManager(StateDir state, SpecStore specs, Cgroups cgroups, TemplateStore templates, Duration stopGrace,
                         UserNamespaces userNamespaces, HostNetwork network) {
        this.state = state;
        this.network = network;
        this.userNamespaces = userNamespaces;
        this.cgroups = cgroups;
        this.templates = templates;
        this.specs = specs;
        this.locks = new ServerLock(state);
        this.stopGrace = stopGrace;
        this.rules = new ServerRules(this, specs);
        this.access = new ServerAccess(this, specs, cgroups);
        this.limits = new ServerLimits(this, state, specs, cgroups);
        this.creation = new ServerCreation(this, state, specs, templates, userNamespaces.enabled() ? new UserRanges(state, specs) : null);
    }

    /** The servers' firewalls and forwards. */
    public ServerRules rules() {
        return rules;
    }

    /** The servers' limits of memory, CPU, processes, disk and network. */
    public ServerLimits limits() {
        return limits;
    }

    /** The servers' SSH keys, commands, terminals, console logs and isolation reports. */
    public ServerAccess access() {
        return access;
    }

    public Cgroups cgroups() {
        return cgroups;
    }

    public List<ServerView> list() {
        return specs.all().stream().map(spec -> view(spec, init(spec))).toList();
    }

    public ServerView get(String id) {
        ServerSpec spec = existing(id);
        return view(spec, init(spec));
    }

    /** Creates the server from the request, checked against the host; see {@link ServerCreation}. */
    public ServerView create(CreateRequest request) {
        return creation.create(request);
    }

    public ServerView start(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.start)) {
            ServerSpec spec = existing(id);
            Action.start.check(id, ServerState.of(init(spec)));
            if (Files.exists(paths(id).incoming())) {
                throw AgentException.conflict("server " + id + " is being moved to this host; it starts once the move has finished");
            }
            return bootAndKeepRunning(spec);
        }
    }

    /** Boots a stopped server and records that it is to run; a boot that fails leaves it stopped. */
    ServerView bootAndKeepRunning(ServerSpec spec) {
        ServerSpec wanted = spec.withDesired(ServerSpec.DesiredState.running);
        // The desired state becomes durable while the server boots; the answer waits for both.
        CompletableFuture<Void> saved = CompletableFuture.runAsync(() -> specs.save(wanted));
        InitProcess init;
        try {
            init = boot(wanted);
        } catch (RuntimeException e) {
            saved.join();
            specs.save(spec);
            throw e;
        }
        saved.join();
        return view(wanted, Optional.of(init));
    }

    public ServerView stop(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.stop)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.stop.check(id, ServerState.of(init));
            return view(haltAndKeepStopped(spec, init.get()), Optional.empty());
        }
    }

    /** Records that the server is to stay stopped (so a restart of the agent does not boot it), then halts it. */
    ServerSpec haltAndKeepStopped(ServerSpec spec, InitProcess init) {
        ServerSpec stopped = spec.withDesired(ServerSpec.DesiredState.stopped);
        specs.save(stopped);
        halt(stopped, init);
        if (stopped.network() != null) {
            network.detach(stopped.id());
        }
        return stopped;
    }

    public ServerView restart(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.restart)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.restart.check(id, ServerState.of(init));
            halt(spec, init.get());
            return view(spec, Optional.of(boot(spec)));
        }
    }

    /** A fresh root filesystem from the server's template; id, hostname, limits, network and rules stay. */
    public ServerView reinstall(String id) {
        return reinstall(id, null, null, null);
    }

    /**
     * The same, booting with the firewall, forwards and root's credentials given (each null: the one it has), as
     * the panel sends them again; the credentials are written into the fresh root before it boots, as at its creation.
     */
    public ServerView reinstall(String id, Firewall firewall, List<Forward> forwards, Credentials credentials) {
        if (firewall != null) {
            firewall.validate("firewall.");
        }
        if (credentials != null) {
            credentials.validate("credentials.");
        }
        try (ServerLock.Held lock = locks.acquire(id, Action.reinstall)) {
            ServerSpec old = existing(id);
            Optional<InitProcess> init = init(old);
            Action.reinstall.check(id, ServerState.of(init));
            ServerSpec spec = forwards == null ? old : rules.changeForwards(old, forwards);
            ServerSpec withFirewall = firewall == null ? spec : spec.withFirewall(firewall);
            ServerSpec reinstalled = credentials == null ? withFirewall : withFirewall.withCredentials(credentials);
            init.ifPresent(i -> halt(reinstalled, i));
            ServerPaths paths = paths(id);
            Disk.unmount(paths);
            Disk.create(paths, reinstalled.limits().diskMiB());
            Disk.mount(paths);
            specs.save(reinstalled);
            PendingCredentials.taken(paths); // what was waiting for the old root is the spec's, written afresh
            PendingCredentials.forNewRoot(paths, reinstalled.credentials());
            return view(reinstalled, init.isPresent() ? Optional.of(boot(reinstalled)) : Optional.empty());
        }
    }

    /** Stops the server if it runs and removes everything it had: processes, cgroups, mounts, loop device, files. */
    public void destroy(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.destroy)) {
            ServerSpec spec = existing(id);
            init(spec).ifPresent(i -> halt(spec, i));
            if (spec.network() != null) {
                network.remove(id, spec.network(), spec.forwards(), () -> specs.all().stream().filter(s -> !s.id().equals(id))
                        .map(ServerSpec::network).filter(Objects::nonNull).toList());
            }
            Halt.removeGroup(cgroups, spec.group());
            if (spec.users() != null) {
                userNamespaces.forget(spec.users());
            }
            access.forget(id);
            lock.deleteOnClose();
            removeFiles(id);
        }
    }

    public ServerStats stats(String id) {
        ServerSpec spec = existing(id);
        HostNetwork.Traffic traffic = spec.network() == null ? HostNetwork.Traffic.NONE
                : network.trafficOf(network.traffic(), id);
        return ServerStats.read(spec, init(spec), cgroups, state, traffic);
    }

    public HostFacts facts() {
        List<ServerSpec> all = specs.all();
        int running = (int) all.stream().filter(spec -> init(spec).isPresent()).count();
        return HostFacts.of(state, all, running, cgroups, userNamespaces,
                templates.list().stream().map(Template::name).toList(), templates.buildable());
    }

    /** After the agent (re)starts: see {@link Adoption}. */
    public void reconcile() {
        new Adoption(this, specs).run();
    }

    /** Boots the server; the credentials waiting for it are in its root once it has booted. */
    InitProcess boot(ServerSpec spec) {
        thaw(spec);
        InitProcess init = Launcher.boot(spec, templates.get(spec.template()), paths(spec.id()), cgroups, userNamespaces, network,
                this::networks);
        PendingCredentials.taken(paths(spec.id()));
        return init;
    }

    HostNetwork network() {
        return network;
    }

    /** The networks of every server of this agent. */
    List<NetworkSpec> networks() {
        return specs.all().stream().map(ServerSpec::network).filter(Objects::nonNull).toList();
    }

    ServerView view(ServerSpec spec, Optional<InitProcess> init) {
        return ServerView.of(spec, init, network.port(spec.id()), Files.exists(paths(spec.id()).incoming()),
                limits.inDoubt(paths(spec.id()), init));
    }

    void halt(ServerSpec spec, InitProcess init) {
        thaw(spec);
        int signal = templates.find(spec.template()).map(Template::stopSignal).orElse(Processes.SIGTERM);
        Halt.run(spec, init, signal, stopGrace, cgroups);
    }

    /**
     * What a snapshot or backup cut short left frozen (its command line killed mid-copy, whose own finally never
     * ran) runs again: frozen processes ignore even SIGKILL on cgroup v1, and a frozen file system holds the
     * boot's writes. Under the server's lock, so no pause of its is under way; nothing to do when none was.
     */
    private void thaw(ServerSpec spec) {
        DiskPause.release(cgroups, spec.group(), paths(spec.id()).disk());
    }

    void removeFiles(String id) {
        ServerPaths paths = paths(id);
        OwnerShift.release(paths.shifting());
        Disk.unmount(paths);
        try {
            FileTrees.delete(paths.dir());
        } catch (UncheckedIOException e) {
            throw AgentException.failed("remove " + paths.dir() + ": " + e.getMessage(), e);
        }
    }

    ServerLock.Held lock(String id, Action action) {
        return locks.acquire(id, action);
    }

    /** As {@link #lock}, waiting up to patience for the action that holds the server to end. */
    ServerLock.Held awaitLock(String id, Action action, Duration patience) {
        return locks.await(id, action, patience);
    }

    ServerSpec existing(String id) {
        Validation.id(id);
        if (Files.exists(paths(id).creating())) {
            throw AgentException.conflict("server " + id + " is being created");
        }
        return specs.get(id);
    }

    Optional<InitProcess> init(ServerSpec spec) {
        return InitProcess.find(cgroups, spec.group());
    }

    ServerPaths paths(String id) {
        return ServerPaths.of(state, id);
    }
}
