package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.RootFilesystem;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.network.ServerFiles;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import io.corral.agent.template.Template;
import java.util.ArrayList;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Boots a server. unshare(2) affects only the calling thread, so each boot runs on a fresh platform
 * thread that ends afterwards: it unshares the mount, UTS and IPC namespaces (and, for a server
 * without a user namespace of its own, the network and PID namespaces), sets the hostname, builds
 * the root filesystem (overlay, /dev, /sys) in its private mount namespace and spawns corral-enter,
 * which does the rest in one process (see src/main/c/boot.c): joins the server's cgroups, makes the
 * user namespace (and with it the PID and network ones) where the server has a range of its own,
 * mounts and masks /proc, pivots into the root and execs the template's init, confined. So nothing
 * from the server's root filesystem runs before the server is inside its limits, and nothing there
 * is looked up with the host's privileges.
 *
 * Init's stdout and stderr are the pipe to the server's console log ({@link ConsoleLog}), whose relay
 * starts first and gets the agent's line for the boot, and the reason where it fails.
 *
 * corral-enter's stderr is a close-on-exec pipe: its error text, or end of file once init runs. While
 * it waits on its stdin, the calling thread (in the host's namespaces, unlike the boot thread) writes
 * the uid and gid maps for a server with a range of its own, then puts a server with a network on it
 * (see {@link HostNetwork#attach}), so init finds eth0 up.
 */
public final class Launcher {
    static final int NAMESPACES = Sys.CLONE_NEWNS | Sys.CLONE_NEWUTS | Sys.CLONE_NEWIPC | Sys.CLONE_NEWNET | Sys.CLONE_NEWPID;
    private static final List<String> INIT_ENV = List.of(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "container=corral", "TERM=linux");

    private Launcher() {
    }

    /**
     * Boots the server: mounts its disk, makes its cgroup with its limits (removed again if the boot
     * fails) and launches its init. users: this host's user namespaces, used for a server with a range
     * of its own; network and networks (those of all the agent's servers): for a server with a network.
     */
    public static InitProcess boot(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups, UserNamespaces users,
                                   HostNetwork network, Supplier<? extends Collection<NetworkSpec>> networks) {
        ConsoleLog.Pipe console;
        try {
            Disk.mount(paths);
            cgroups.apply(spec.group(), spec.limits().cgroup(Disk.device(paths)));
            console = ConsoleLog.open(paths.console(), spec.group(), cgroups.joinFiles(spec.group()), spec.users());
        } catch (RuntimeException e) {
            try {
                ConsoleLog.note(paths.console(), "the server did not start: the host could not prepare it: " + e.getMessage());
            } catch (RuntimeException notNoted) {
                e.addSuppressed(notNoted);
            }
            throw e;
        }
        try (console) {
            console.say("starting " + spec.hostname() + " from template " + spec.template());
            return launch(spec, template, paths, cgroups, users, new Attach(network, networks), console);
        } catch (RuntimeException e) {
            console.failed("the host could not start it: " + e.getMessage());
            console.close(); // the relay ends with the last writer, before its group goes
            if (spec.network() != null) {
                try {
                    network.detach(spec.id());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            Halt.removeGroup(cgroups, spec.group());
            throw e;
        }
    }

    private record Attach(HostNetwork network, Supplier<? extends Collection<NetworkSpec>> networks) {
    }

    private static InitProcess launch(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups, UserNamespaces users,
                                      Attach attach, ConsoleLog.Pipe console) {
        // Everything that may start a thread or a process is done here, before the boot thread unshares.
        boolean ownUsers = spec.users() != null;
        if (ownUsers) {
            users.requireAvailable();
        }
        int shifted = ownUsers ? users.shifter(spec.users()) : -1;
        List<String> args = new ArrayList<>(List.of("boot", "-r", paths.root().toString()));
        if (ownUsers) {
            args.addAll(List.of("-u", "-R", Long.toString(spec.users().first())));
        }
        if (spec.network() != null) {
            args.add("-n");
        }
        args.add("-c");
        ServerFiles.of(spec.hostname(), spec.network()).forEach((path, content) -> args.addAll(List.of("-w", path + "=" + content)));
        args.addAll(PendingCredentials.helperOptions(paths));
        cgroups.joinFiles(spec.group()).forEach(file -> args.addAll(List.of("-j", file.toString())));
        args.addAll(Containment.hiddenPaths());
        args.addAll(Containment.confinement(cgroups.controlsDevices()));
        args.add("--");
        args.addAll(template.init());
        EnterHelper.program();
        int[] errors = Pipes.pipe(), toHelper = Pipes.pipe(), fromHelper = Pipes.pipe();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(setUpAndSpawn(spec, template, paths, args, shifted, toHelper[0], fromHelper[1], errors[1], console.fd()));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "boot-" + spec.id());
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Sys.close(errors[1]);
            Sys.close(toHelper[0]);
            Sys.close(fromHelper[1]);
        }
        if (!(outcome.get() instanceof Integer helper)) {
            Sys.close(errors[0]);
            Sys.close(toHelper[1]);
            Sys.close(fromHelper[0]);
            Throwable failure = (Throwable) outcome.get();
            throw AgentException.failed("server " + spec.id() + " could not be booted: " + failure.getMessage(), failure);
        }
        int pid;
        try {
            pid = answerHelper(spec, helper, toHelper[1], fromHelper[0], attach);
        } catch (RuntimeException e) {
            Processes.kill(helper, Processes.SIGKILL);
            Processes.awaitExit(helper);
            Sys.close(errors[0]);
            throw e;
        } finally {
            Sys.close(toHelper[1]);
            Sys.close(fromHelper[0]);
        }
        String bootError = Pipes.readAll(errors[0]).trim();
        Sys.close(errors[0]);
        Optional<InitProcess> init = InitProcess.read(pid);
        if (!bootError.isEmpty() || init.isEmpty()) {
            Processes.kill(pid, Processes.SIGKILL);
            Processes.awaitExit(pid); // the agent's child either way: spawned, or adopted as subreaper
            String reason = bootError.isEmpty() ? "its init exited at once"
                    : bootError.lines().reduce((a, b) -> b).orElse("").replaceFirst("^corral-enter: ", "");
            console.failed(reason);
            throw new AgentException(AgentException.Kind.FAILED, "server " + spec.id() + " did not boot: " + reason);
        }
        return init.get();
    }

    /**
     * Takes corral-enter (helper) through its steps and returns the host pid of the server's PID 1:
     * writes the maps of a server's own user namespace, puts a server with a network on it, and reads
     * the pid of the PID 1 it forked in its own PID namespace (without one, the helper is PID 1). A
     * helper that stops saying what it waits for has failed: its error is on its stderr.
     */
    private static int answerHelper(ServerSpec spec, int helper, int toHelper, int fromHelper, Attach attach) {
        boolean ownUsers = spec.users() != null;
        if (ownUsers) {
            if (!Pipes.readLine(fromHelper).equals("user")) {
                return helper;
            }
            UserNamespaces.map(helper, spec.users());
            Pipes.writeLine(toHelper, "mapped");
        }
        if (spec.network() != null) {
            if (!Pipes.readLine(fromHelper).equals("net")) {
                return helper;
            }
            attach.network().attach(spec.id(), spec.network(), spec.firewall(), spec.forwards(), spec.limits().bandwidth(), helper,
                    attach.networks());
            Pipes.writeLine(toHelper, "attached");
        }
        if (!ownUsers) {
            return helper;
        }
        String forked = Pipes.readLine(fromHelper);
        Processes.awaitExit(helper);
        return forked.startsWith("pid ") ? Integer.parseInt(forked.substring(4)) : helper;
    }

    /**
     * Returns the pid of corral-enter. With a user namespace of its own, the PID, network and cgroup
     * namespaces are made by corral-enter, after the user namespace, so that they belong to it (root
     * inside may then reboot its server, bind low ports and ping); the boot thread makes the mount,
     * UTS and IPC namespaces, which stay the host user namespace's (see host-agent/README.md).
     */
    private static int setUpAndSpawn(ServerSpec spec, Template template, ServerPaths paths, List<String> args, int shifted,
                                     int stdinFd, int stdoutFd, int stderrFd, int consoleFd) throws Exception {
        boolean ownUsers = spec.users() != null;
        Sys.unshare(ownUsers ? NAMESPACES & ~(Sys.CLONE_NEWPID | Sys.CLONE_NEWNET) : NAMESPACES);
        Sys.sethostname(spec.hostname());
        // Nothing mounted from here on may propagate back to the host.
        Sys.mount(null, "/", null, Sys.MS_REC | Sys.MS_PRIVATE, null);
        RootFilesystem.mount(template.rootfs(), paths, spec.users(), shifted, spec.limits().memoryMiB());
        return EnterHelper.spawn(args, INIT_ENV, stdinFd, stdoutFd, stderrFd, consoleFd);
    }
}
