package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.backup.DiskPause;
import io.corral.agent.backup.OwnerShift;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
import io.corral.agent.containment.IsolationReport;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.credentials.Credentials;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostFacts;
import io.corral.agent.host.HostProbe;
import io.corral.agent.move.IncomingMove;
import io.corral.agent.metering.ServerStats;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.runtime.ConsoleLog;
import io.corral.agent.runtime.CredentialsWriter;
import io.corral.agent.runtime.Exec;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.runtime.ExecSlots;
import io.corral.agent.runtime.Terminal;
import io.corral.agent.runtime.Halt;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.Launcher;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.spec.UserRanges;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.Processes;
import io.corral.agent.template.Template;
import io.corral.agent.template.TemplateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

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
    private final UserRanges userRanges;
    private final ServerLock locks;
    private final Duration stopGrace;
    private final UserNamespaces userNamespaces;
    private final HostNetwork network;
    private final ExecSlots execSlots = new ExecSlots();
    /** Held while a change of forwards checks the host ports free and takes them, so two servers cannot take one. */
    private final Object hostPorts = new Object();

    public ServerManager(StateDir state, SpecStore specs, Cgroups cgroups, TemplateStore templates, Duration stopGrace,
                         UserNamespaces userNamespaces, HostNetwork network) {
        this.state = state;
        this.network = network;
        this.userNamespaces = userNamespaces;
        this.cgroups = cgroups;
        this.templates = templates;
        this.specs = specs;
        this.userRanges = new UserRanges(state, specs);
        this.locks = new ServerLock(state);
        this.stopGrace = stopGrace;
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

    public ServerView create(CreateRequest request) {
        Validation.id(request.id());
        Validation.hostname(request.hostname());
        Template template = templates.get(request.template());
        Limits limits = Limits.DEFAULTS.with(request.limits());
        Validation.limits(limits, HostProbe.diskFreeMiB(state.root()));
        if (request.network() != null) {
            request.network().validate();
        }
        if (request.firewall() != null) {
            request.firewall().validate("firewall.");
        }
        Forward.validate(request.forwards(), request.network());
        if (request.credentials() != null) {
            request.credentials().validate("credentials.");
        }
        if (request.moveToken() != null) {
            IncomingMove.checkToken("moveToken", request.moveToken());
            if (request.start()) {
                throw AgentException.invalid("start", "must be false for the receiving end of a move: it starts once the move commits");
            }
        }
        if (Files.exists(state.server(request.id()))) {
            throw AgentException.conflict("server " + request.id() + " already exists");
        }
        if (request.network() != null) {
            request.network().validateAgainst(specs.all().stream().filter(s -> s.network() != null)
                    .collect(Collectors.toMap(ServerSpec::id, ServerSpec::network)));
            HostNetwork.checkHost(request.network());
        }
        String group = ServerSpec.groupOf(request.id());
        Set<Integer> strangers = cgroups.pids(group);
        if (!strangers.isEmpty()) {
            throw AgentException.conflict("cgroup " + group + " already holds processes " + strangers
                    + ", perhaps of another agent's server " + request.id() + "; stop them first");
        }
        try (ServerLock.Held lock = locks.acquire(request.id(), Action.create)) {
            ServerPaths paths = paths(request.id());
            ServerSpec spec = new ServerSpec(request.id(), request.hostname(), template.name(), limits,
                    ServerSpec.DesiredState.stopped, null, request.network(), request.firewall(), request.forwards(), request.credentials());
            try {
                FileTrees.createPrivateDirectories(paths.dir());
                Files.createFile(paths.creating());
                synchronized (hostPorts) { // the host ports checked free are taken by saving the spec
                    Forward.checkFree(request.forwards(), forwardsOfOthers(request.id()));
                    if (userNamespaces.enabled()) {
                        spec = userRanges.saveWithFreeRange(spec);
                    } else {
                        specs.save(spec);
                    }
                }
                Disk.create(paths, limits.diskMiB());
                Disk.mount(paths);
                PendingCredentials.forNewRoot(paths, request.credentials());
                if (request.moveToken() != null) {
                    IncomingMove.of(request.moveToken()).prepare(paths);
                }
                Files.delete(paths.creating());
            } catch (IOException | RuntimeException e) {
                lock.deleteOnClose();
                removeFiles(request.id());
                throw e instanceof AgentException ae ? ae
                        : AgentException.failed("create server " + request.id() + ": " + e.getMessage(), e);
            }
            // Started under the same lock: nothing can act on the server between its creation and its boot.
            return request.start() ? bootAndKeepRunning(spec) : view(spec, Optional.empty());
        }
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

    /** The stopped server about to be committed on another host: its addresses are to be answered there, not on this host's uplink. */
    void stopAnswering(ServerSpec spec) {
        if (spec.network() != null) {
            network.stopAnswering(spec.network());
        }
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

    /** A fresh root filesystem from the server's template; id, hostname, limits and network stay. */
    public ServerView reinstall(String id) {
        return reinstall(id, null);
    }

    /** The same, with the firewall it boots with (null: the one it has), as the panel sends it again. */
    public ServerView reinstall(String id, Firewall firewall) {
        return reinstall(id, firewall, null);
    }

    /** The same, with the firewall and forwards it boots with (null: the ones it has), as the panel sends them again. */
    public ServerView reinstall(String id, Firewall firewall, List<Forward> forwards) {
        return reinstall(id, firewall, forwards, null);
    }

    /**
     * The same, with root's credentials (null: the ones it has), which are written into the fresh root
     * before it boots, as at its creation.
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
            ServerSpec spec = forwards == null ? old : changeForwards(old, forwards);
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

    /**
     * Changes limits; memory, swap, CPU, processes, bandwidth and disk IO take effect at once on a
     * running server. The disk quota is changed on a stopped server only, as that resizes its filesystem.
     */
    public ServerView changeLimits(String id, LimitsChange change) {
        try (ServerLock.Held lock = locks.acquire(id, Action.limits)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.limits.check(id, ServerState.of(init));
            Limits limits = spec.limits().with(change);
            Validation.limits(limits, spec.limits().diskMiB() + HostProbe.diskFreeMiB(state.root()));
            if (limits.diskMiB() != spec.limits().diskMiB()) {
                if (init.isPresent()) {
                    throw AgentException.invalid("limits.diskMiB", "can only change while the server is stopped");
                }
                ServerPaths paths = paths(id);
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
                cgroups.apply(spec.group(), limits.cgroup(Disk.device(paths(id))));
                if (spec.network() != null) {
                    network.limit(id, limits.bandwidth());
                }
            }
            spec = spec.withLimits(limits);
            specs.save(spec);
            return view(spec, init);
        }
    }

    /**
     * The server's limits as it holds them: read under its lock, since a change is saved once applied; waits up to
     * {@link #READ_PATIENCE} for an action under way, then a 409. The panel asks after a change whose answer was lost.
     */
    public Limits limits(String id) {
        try (ServerLock.Held lock = locks.await(id, Action.inspect, READ_PATIENCE)) {
            return existing(id).limits();
        }
    }

    /**
     * The server's firewall as it holds it: read under its lock, since a change is saved before it is applied and
     * may yet be refused and saved back; waits up to {@link #READ_PATIENCE} for an action under way, then a 409.
     */
    public Firewall firewall(String id) {
        try (ServerLock.Held lock = locks.await(id, Action.inspect, READ_PATIENCE)) {
            return existing(id).firewall();
        }
    }

    /**
     * Replaces the server's firewall: on a running server with a network at once (one transaction, so
     * nothing is open meanwhile), else from its next boot. A refused one changes nothing; saved before it
     * is applied, as forwards are ({@link #saveThenApply}).
     */
    public Firewall changeFirewall(String id, Firewall firewall) {
        if (firewall == null) {
            throw AgentException.invalid("body", "must be a firewall object, got nothing");
        }
        firewall.validate("");
        try (ServerLock.Held lock = locks.acquire(id, Action.firewall)) {
            ServerSpec before = existing(id);
            ServerSpec spec = before.withFirewall(firewall);
            saveThenApply(before, spec, () -> {
                if (spec.network() != null && init(spec).isPresent()) {
                    network.applyRules(id, spec.network(), firewall, spec.forwards(), this::networks);
                }
            });
            return firewall;
        }
    }

    /** The server's forwards as it holds them, read under its lock as its firewall is ({@link #firewall}). */
    public List<Forward> forwards(String id) {
        try (ServerLock.Held lock = locks.await(id, Action.inspect, READ_PATIENCE)) {
            return existing(id).forwards();
        }
    }

    /**
     * Replaces the server's forwards: at once whether it runs or not (a stopped server's forwarded
     * traffic finds nobody, and no forward of its stays behind in the host's rules to be found by the
     * next owner of the port). A refused change leaves everything as it was.
     */
    public List<Forward> changeForwards(String id, List<Forward> forwards) {
        if (forwards == null) {
            throw AgentException.invalid("forwards", "must be a list of forwards, got nothing");
        }
        try (ServerLock.Held lock = locks.acquire(id, Action.forwards)) {
            return changeForwards(existing(id), forwards).forwards();
        }
    }

    /** Under the server's lock: the forwards checked and free, then saved and applied ({@link #saveThenApply}). */
    private ServerSpec changeForwards(ServerSpec spec, List<Forward> forwards) {
        Forward.validate(forwards, spec.network());
        synchronized (hostPorts) {
            Forward.checkFree(forwards, forwardsOfOthers(spec.id()));
            ServerSpec changed = spec.withForwards(forwards);
            saveThenApply(spec, changed, () -> {
                if (spec.network() != null) {
                    network.forward(spec.network(), spec.forwards(), forwards, this::networks);
                }
            });
            return changed;
        }
    }

    /**
     * A change of the server's rules (its firewall, its forwards): the changed spec saved, then the host's
     * rules changed; the spec before is saved back if the host refuses. Saved first, so an agent that dies
     * between the two leaves a spec naming rules the host may not hold yet (adoption applies the spec
     * again), never rules in the host that no spec names, which a destroy, removing what the spec names,
     * would leave behind.
     */
    private void saveThenApply(ServerSpec before, ServerSpec changed, Runnable apply) {
        specs.save(changed);
        try {
            apply.run();
        } catch (RuntimeException e) {
            try {
                specs.save(before);
            } catch (RuntimeException notSaved) {
                e.addSuppressed(notSaved); // the host's refusal stays the error the caller reads
            }
            throw e;
        }
    }

    /** The forwards of every other server of this agent, by id. */
    private Map<String, List<Forward>> forwardsOfOthers(String id) {
        return specs.all().stream().filter(s -> !s.id().equals(id) && !s.forwards().isEmpty())
                .collect(Collectors.toMap(ServerSpec::id, ServerSpec::forwards));
    }

    public List<String> sshKeys(String id) {
        return existing(id).credentials().sshKeys();
    }

    /**
     * Replaces root's SSH keys: written into a running server at once (from inside it, as its root; a
     * server whose /root/.ssh is a link or no directory is refused, and they wait for its next boot),
     * into a stopped one at its next boot. authorized_keys is written whole: keys added by hand inside
     * are replaced.
     */
    public List<String> changeSshKeys(String id, List<String> keys) {
        Credentials.validateKeys(keys, "sshKeys");
        try (ServerLock.Held lock = locks.acquire(id, Action.sshKeys)) {
            ServerSpec spec = existing(id);
            ServerSpec changed = spec.withCredentials(spec.credentials().withKeys(keys));
            specs.save(changed);
            ServerPaths paths = paths(id);
            PendingCredentials.keys(paths, changed.credentials());
            Optional<InitProcess> init = init(changed);
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
        ServerSpec spec = existing(id);
        Optional<InitProcess> init = init(spec);
        Action.exec.check(id, ServerState.of(init));
        try (ExecSlots.Slot slot = execSlots.take(id)) {
            return Exec.run(init.get(), spec.users() != null, cgroups.joinFiles(spec.group()),
                    Containment.confinement(cgroups.controlsDevices()), command, timeout);
        }
    }

    /** Refuses (409, naming the state) unless the server runs: a console may only be asked of a running one. */
    public void requireRunning(String id) {
        Action.exec.check(id, ServerState.of(init(existing(id))));
    }

    /** A login shell in the running server on a terminal of its own (see {@link Terminal}); the console bounds how many. */
    public Terminal terminal(String id) {
        ServerSpec spec = existing(id);
        Optional<InitProcess> init = init(spec);
        Action.exec.check(id, ServerState.of(init));
        return Terminal.open(init.get(), spec.users() != null, cgroups.joinFiles(spec.group()),
                Containment.confinement(cgroups.controlsDevices()));
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
            execSlots.forget(id);
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
        existing(id);
        return ConsoleLog.read(paths(id).console(), after, limit == null ? ConsoleLog.MAX_READ : limit.intValue());
    }

    /** How the running server is held in, read from its init (see {@link IsolationReport}). */
    public IsolationReport isolation(String id) {
        ServerSpec spec = existing(id);
        Optional<InitProcess> init = init(spec);
        Action.exec.check(id, ServerState.of(init));
        return IsolationReport.of(init.get().pid(), cgroups.controlsDevices());
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

    /**
     * The host's forwards emptied, before adoption makes each running server's again: what no spec names
     * (a change cut short by a crash) would otherwise stay, and reach whichever server gets its address next.
     * A stopped server's come back when it starts; its forwarded traffic had nobody to reach meanwhile.
     */
    void clearForwards() {
        network.clearForwards(this::networks);
    }

    /** Boots the server; the credentials waiting for it are in its root once it has booted. */
    InitProcess boot(ServerSpec spec) {
        thaw(spec);
        InitProcess init = Launcher.boot(spec, templates.get(spec.template()), paths(spec.id()), cgroups, userNamespaces, network,
                this::networks);
        PendingCredentials.taken(paths(spec.id()));
        return init;
    }

    /**
     * A running server's network rules and bandwidth made again as they should be (no change where they
     * are): after the agent restarts.
     */
    void keepNetwork(ServerSpec spec) {
        if (spec.network() != null) {
            network.applyRulesAndUplink(spec.id(), spec.network(), spec.firewall(), spec.forwards(), this::networks);
            network.limit(spec.id(), spec.limits().bandwidth());
        }
    }

    /** The networks of every server of this agent. */
    private List<NetworkSpec> networks() {
        return specs.all().stream().map(ServerSpec::network).filter(Objects::nonNull).toList();
    }

    ServerView view(ServerSpec spec, Optional<InitProcess> init) {
        return ServerView.of(spec, init, network.port(spec.id()), Files.exists(paths(spec.id()).incoming()));
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
