package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
import io.corral.agent.containment.IsolationReport;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.containment.UserRange;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostFacts;
import io.corral.agent.host.HostProbe;
import io.corral.agent.metering.ServerStats;
import io.corral.agent.runtime.Exec;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.runtime.ExecSlots;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.runtime.Launcher;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.Sys;
import io.corral.agent.template.Template;
import io.corral.agent.template.TemplateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The lifecycle of the virtual servers on this host. Each action takes the server's lock, checks
 * the transition table against the state observed on the live system, and leaves either the new
 * state or the old one, never something in between.
 */
public final class ServerManager {
    private static final Logger LOG = Logger.getLogger(ServerManager.class.getName());
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Object RANGES = new Object();
    private final StateDir state;
    private final Cgroups cgroups;
    private final TemplateStore templates;
    private final SpecStore specs;
    private final ServerLock locks;
    private final Duration stopGrace;
    private final UserNamespaces userNamespaces;
    private final ExecSlots execSlots = new ExecSlots();
    /** The inits the sampler found last round, by server id; touched by the sampler's thread only. */
    private final Map<String, InitProcess> meteredInits = new HashMap<>();

    public ServerManager(StateDir state, Cgroups cgroups, TemplateStore templates, Duration stopGrace,
                         UserNamespaces userNamespaces) {
        this.state = state;
        this.userNamespaces = userNamespaces;
        this.cgroups = cgroups;
        this.templates = templates;
        this.specs = new SpecStore(state);
        this.locks = new ServerLock(state);
        this.stopGrace = stopGrace;
    }

    public Cgroups cgroups() {
        return cgroups;
    }

    public List<ServerView> list() {
        List<ServerView> views = new ArrayList<>();
        for (String id : specs.ids()) {
            if (!Files.exists(paths(id).creating())) {
                specs.find(id).ifPresent(spec -> views.add(ServerView.of(spec, init(spec))));
            }
        }
        return views;
    }

    public ServerView get(String id) {
        ServerSpec spec = existing(id);
        return ServerView.of(spec, init(spec));
    }

    public ServerView create(CreateRequest request) {
        Validation.id(request.id());
        Validation.hostname(request.hostname());
        Template template = template(request.template());
        Limits limits = Limits.DEFAULTS.with(request.limits());
        Validation.limits(limits, HostProbe.diskFreeMiB(state.root()));
        if (Files.exists(state.server(request.id()))) {
            throw AgentException.conflict("server " + request.id() + " already exists");
        }
        String group = ServerSpec.groupOf(request.id());
        java.util.Set<Integer> strangers = cgroups.pids(group);
        if (!strangers.isEmpty()) {
            throw AgentException.conflict("cgroup " + group + " already holds processes " + strangers
                    + ", perhaps of another agent's server " + request.id() + "; stop them first");
        }
        try (ServerLock.Held lock = locks.acquire(request.id(), Action.create)) {
            ServerPaths paths = paths(request.id());
            ServerSpec spec = null;
            try {
                FileTrees.createPrivateDirectories(paths.dir());
                Files.createFile(paths.creating());
                spec = saveWithUserRange(new ServerSpec(request.id(), request.hostname(), template.name(), limits,
                        ServerSpec.DesiredState.stopped, null));
                Disk.create(paths, limits.diskMiB());
                Disk.mount(paths);
                Files.delete(paths.creating());
            } catch (IOException | RuntimeException e) {
                lock.deleteOnClose();
                removeFiles(request.id());
                throw e instanceof AgentException ae ? ae
                        : AgentException.failed("create server " + request.id() + ": " + e.getMessage(), e);
            }
            return ServerView.of(spec, Optional.empty());
        }
    }

    /**
     * Saves a new server's spec with the lowest user range no other server holds, when this host gives
     * servers their own; one at a time, so two creates never take the same range: a file lock, as the
     * command line and a serving agent may create at once, taken by one thread of this process at a
     * time (the JVM refuses a second lock of one file).
     */
    private ServerSpec saveWithUserRange(ServerSpec spec) throws IOException {
        if (!userNamespaces.enabled()) {
            specs.save(spec);
            return spec;
        }
        Files.createDirectories(state.locks());
        synchronized (RANGES) {
            try (FileChannel ranges = FileChannel.open(state.locks().resolve("user-ranges"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = ranges.lock()) {
                java.util.Set<Integer> taken = new java.util.HashSet<>();
                for (String other : specs.ids()) {
                    specs.find(other).map(ServerSpec::users).ifPresent(r -> taken.add(r.index()));
                }
                int free = 0;
                while (taken.contains(free)) {
                    free++;
                }
                ServerSpec withRange = new ServerSpec(spec.id(), spec.hostname(), spec.template(), spec.limits(),
                        spec.desired(), UserRange.number(free));
                specs.save(withRange);
                return withRange;
            }
        }
    }

    public ServerView start(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.start)) {
            ServerSpec spec = existing(id);
            Action.start.check(id, state(spec));
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
            return ServerView.of(wanted, Optional.of(init));
        }
    }

    public ServerView stop(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.stop)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.stop.check(id, stateOf(init));
            spec = spec.withDesired(ServerSpec.DesiredState.stopped);
            specs.save(spec);
            halt(spec, init.get());
            return ServerView.of(spec, Optional.empty());
        }
    }

    public ServerView restart(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.restart)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.restart.check(id, stateOf(init));
            halt(spec, init.get());
            return ServerView.of(spec, Optional.of(boot(spec)));
        }
    }

    /** A fresh root filesystem from the server's template; id, hostname and limits stay. */
    public ServerView reinstall(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.reinstall)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.reinstall.check(id, stateOf(init));
            init.ifPresent(i -> halt(spec, i));
            ServerPaths paths = paths(id);
            Disk.unmount(paths);
            Disk.create(paths, spec.limits().diskMiB());
            Disk.mount(paths);
            return ServerView.of(spec, init.isPresent() ? Optional.of(boot(spec)) : Optional.empty());
        }
    }

    /**
     * Changes limits; memory, swap, CPU and processes take effect at once on a running server. The
     * disk quota is changed on a stopped server only, as that resizes its filesystem.
     */
    public ServerView changeLimits(String id, LimitsChange change) {
        try (ServerLock.Held lock = locks.acquire(id, Action.limits)) {
            ServerSpec spec = existing(id);
            Optional<InitProcess> init = init(spec);
            Action.limits.check(id, stateOf(init));
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
                cgroups.apply(spec.group(), limits);
            }
            spec = spec.withLimits(limits);
            specs.save(spec);
            return ServerView.of(spec, init);
        }
    }

    /** Runs a command in the running server; at most {@link ExecSlots} at once, refused past that. */
    public ExecResult exec(String id, List<String> command, Duration timeout) {
        ServerSpec spec = existing(id);
        Optional<InitProcess> init = init(spec);
        Action.exec.check(id, stateOf(init));
        try (ExecSlots.Slot slot = execSlots.take(id)) {
            return Exec.run(init.get(), spec.users() != null, cgroups.joinFiles(spec.group()),
                    Containment.confinement(cgroups.controlsDevices()), command, timeout);
        }
    }

    /** Stops the server if it runs and removes everything it had: processes, cgroups, mounts, loop device, files. */
    public void destroy(String id) {
        try (ServerLock.Held lock = locks.acquire(id, Action.destroy)) {
            ServerSpec spec = existing(id);
            init(spec).ifPresent(i -> halt(spec, i));
            removeCgroup(spec.group());
            if (spec.users() != null) {
                userNamespaces.forget(spec.users());
            }
            execSlots.forget(id);
            lock.deleteOnClose();
            removeFiles(id);
        }
    }

    /**
     * Every server's usage in one pass over the specs (each read once): the sampler's round. The
     * epoch is what the counters count from: the cgroup's inode (a group made anew, after a destroy
     * and create or a move to another host, starts its counters at zero).
     */
    public List<Metered> meterAll() {
        List<Metered> all = new ArrayList<>();
        for (String id : specs.ids()) {
            if (Files.exists(paths(id).creating())) {
                continue;
            }
            specs.find(id).ifPresent(spec -> {
                try {
                    String epoch = Files.getAttribute(cgroups.file("cpuacct", spec.group(), ""), "unix:ino").toString();
                    all.add(new Metered(stats(spec, meteredInit(spec)), epoch));
                } catch (java.io.IOException | RuntimeException e) {
                    // destroyed meanwhile: nothing to meter any more
                }
            });
        }
        meteredInits.keySet().retainAll(all.stream().map(m -> m.stats().id()).toList());
        return all;
    }

    /**
     * The server's init, from the last round where that process still lives (one read of its stat
     * instead of the group's member list and their status files), else looked up afresh.
     */
    private Optional<InitProcess> meteredInit(ServerSpec spec) {
        InitProcess last = meteredInits.get(spec.id());
        if (last != null) {
            if (last.alive()) {
                return Optional.of(last);
            }
            Sys.reap(last.pid()); // it ended on its own (a reboot or halt inside): collect it
        }
        Optional<InitProcess> init = init(spec);
        init.ifPresentOrElse(i -> meteredInits.put(spec.id(), i), () -> meteredInits.remove(spec.id()));
        return init;
    }

    /** A server's usage with the epoch its counters count from. */
    public record Metered(ServerStats stats, String counterEpoch) {
    }

    public ServerStats stats(String id) {
        return stats(existing(id));
    }

    private ServerStats stats(ServerSpec spec) {
        return stats(spec, init(spec));
    }

    private ServerStats stats(ServerSpec spec, Optional<InitProcess> init) {
        return new ServerStats(spec.id(), stateOf(init), cgroups.stats(spec.group()), Disk.usedBytes(paths(spec.id())),
                spec.limits().diskMiB() * 1024 * 1024);
    }

    /** How the running server is held in, read from its init (see {@link IsolationReport}). */
    public IsolationReport isolation(String id) {
        ServerSpec spec = existing(id);
        Optional<InitProcess> init = init(spec);
        Action.exec.check(id, stateOf(init));
        return IsolationReport.of(init.get().pid(), cgroups.controlsDevices());
    }

    public HostFacts facts() {
        List<ServerView> all = list();
        long memory = HostProbe.memoryMiB();
        int cores = HostProbe.cores();
        long disk = HostProbe.diskMiB(state.root());
        long allocatedMemory = all.stream().mapToLong(v -> v.limits().memoryMiB()).sum();
        double allocatedCpus = all.stream().mapToDouble(v -> v.limits().cpus()).sum();
        long allocatedDisk = all.stream().mapToLong(v -> v.limits().diskMiB()).sum();
        return new HostFacts(HostProbe.hostname(), HostProbe.kernel(), cgroups.version(), cgroups.limitsSwap(),
                cores, memory, HostProbe.memoryAvailableMiB(), disk, HostProbe.diskFreeMiB(state.root()),
                all.size(), (int) all.stream().filter(v -> v.state() == ServerState.running).count(),
                allocatedMemory, allocatedCpus, allocatedDisk,
                memory - allocatedMemory, cores - allocatedCpus, disk - allocatedDisk, userNamespaces.enabled(),
                userNamespaces.unavailable(), (int) all.stream().filter(v -> v.users() == null).count(), cgroups.controlsDevices());
    }

    /**
     * After the agent (re)starts: removes servers whose creation never finished, mounts the disks of
     * the others, adopts those still running and boots those that should run but do not.
     */
    public void reconcile() {
        for (String id : specs.ids()) {
            ServerPaths paths = paths(id);
            try {
                if (Files.exists(paths.creating()) || specs.find(id).isEmpty()) {
                    LOG.info("removing half-created server " + id);
                    removeFiles(id);
                    continue;
                }
                ServerSpec spec = specs.get(id);
                Disk.mount(paths);
                Optional<InitProcess> init = init(spec);
                if (init.isPresent()) {
                    LOG.info("adopted running server " + id + " (init pid " + init.get().pid() + ")");
                } else if (spec.desired() == ServerSpec.DesiredState.running) {
                    LOG.info("starting server " + id + ", which should be running");
                    try (ServerLock.Held lock = locks.acquire(id, Action.start)) {
                        boot(spec);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warning("reconciling server " + id + ": " + e.getMessage());
            }
        }
    }

    private InitProcess boot(ServerSpec spec) {
        Template template = template(spec.template());
        ServerPaths paths = paths(spec.id());
        Disk.mount(paths);
        cgroups.apply(spec.group(), spec.limits());
        try {
            return Launcher.boot(spec, template, paths, cgroups, userNamespaces);
        } catch (RuntimeException e) {
            removeCgroup(spec.group());
            throw e;
        }
    }

    /**
     * Asks init to shut down, kills it after the grace period, and waits until the server's processes
     * are gone. The empty cgroup stays until destroy: the next start only rewrites its limits.
     */
    private void halt(ServerSpec spec, InitProcess init) {
        Template template = templates.find(spec.template()).orElse(null);
        int signal = template != null ? template.stopSignal() : Sys.SIGTERM;
        Sys.kill(init.pid(), signal);
        if (!waitUntilGone(init, stopGrace)) {
            LOG.info("server " + spec.id() + " did not stop within " + stopGrace.toSeconds() + " s; killing it");
            Sys.kill(init.pid(), Sys.SIGKILL);
            if (!waitUntilGone(init, KILL_WAIT)) {
                throw new AgentException(AgentException.Kind.FAILED, "server " + spec.id() + " init " + init.pid()
                        + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
        }
        waitUntilEmpty(spec.group());
    }

    private static boolean waitUntilGone(InitProcess init, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Sys.reap(init.pid());
            if (!init.alive()) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            pause();
        }
    }

    private void removeCgroup(String group) {
        waitUntilEmpty(group);
        cgroups.remove(group);
    }

    /** Once PID 1 of a namespace is gone the kernel ends the rest; waits for that. */
    private void waitUntilEmpty(String group) {
        Instant deadline = Instant.now().plus(KILL_WAIT);
        while (!cgroups.pids(group).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AgentException(AgentException.Kind.FAILED, "processes " + cgroups.pids(group)
                        + " are still in cgroup " + group + " after its init ended; kill them, then try again");
            }
            pause();
        }
    }

    private void removeFiles(String id) {
        ServerPaths paths = paths(id);
        Disk.unmount(paths);
        try {
            FileTrees.delete(paths.dir());
        } catch (UncheckedIOException e) {
            throw AgentException.failed("remove " + paths.dir() + ": " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("interrupted", e);
        }
    }

    private Template template(String name) {
        return templates.find(name).orElseThrow(() -> AgentException.invalid("template", "unknown template '" + name
                + "'; installed: " + String.join(", ", templates.list().stream().map(Template::name).toList())
                + " (build one with: corral-agent template build busybox)"));
    }

    private ServerSpec existing(String id) {
        Validation.id(id);
        if (Files.exists(paths(id).creating())) {
            throw AgentException.conflict("server " + id + " is being created");
        }
        return specs.get(id);
    }

    private Optional<InitProcess> init(ServerSpec spec) {
        return InitProcess.find(cgroups, spec.group());
    }

    private ServerState state(ServerSpec spec) {
        return stateOf(init(spec));
    }

    private static ServerState stateOf(Optional<InitProcess> init) {
        return init.isPresent() ? ServerState.running : ServerState.stopped;
    }

    private ServerPaths paths(String id) {
        return ServerPaths.of(state, id);
    }
}
