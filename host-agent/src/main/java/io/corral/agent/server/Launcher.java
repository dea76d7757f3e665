package io.corral.agent.server;

import io.corral.agent.AgentException;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.sys.HostTools;
import io.corral.agent.sys.Spawn;
import io.corral.agent.sys.Sys;
import io.corral.agent.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Boots a server. unshare(2) affects only the calling thread, so each boot runs on a fresh platform
 * thread that ends afterwards: it joins the server's cgroup (v1), unshares the UTS, IPC, network,
 * mount and PID namespaces, sets the hostname, brings loopback up, builds the root filesystem
 * (overlay, /dev, /sys) in its private mount namespace and spawns the first process (see
 * {@link BootScript}), PID 1 of the new PID namespace. So no code from the server's root filesystem
 * runs before the server is inside its limits. The script's stderr is a close-on-exec pipe: its
 * error text, or end of file once init has exec'd.
 *
 * A server with a user range of its own boots the same way, except that the thread leaves the PID
 * namespace to the helper (see corral-userns.c), which makes it after the user namespace, and the
 * template is mounted shifted into the range (an idmapped mount). The boot thread writes the
 * helper's uid and gid maps when it asks.
 *
 * Before spawning, the boot thread confines itself (see {@link Containment}): the script runs with
 * the reduced bounding set and the seccomp filter. Once the script has mounted /proc it says so on
 * its stdout and waits on its stdin while the boot thread, in the same mount namespace, masks /proc.
 *
 * Between pivot_root and the detach of the old root, "/" is already the server's root while the
 * host's is still reachable, so nothing may be run from a path there: the detach is busybox's own
 * applet, which a standalone busybox shell runs from its own binary (see HostTools#busybox).
 */
final class Launcher {
    static final int NAMESPACES = Sys.CLONE_NEWNS | Sys.CLONE_NEWUTS | Sys.CLONE_NEWIPC | Sys.CLONE_NEWNET | Sys.CLONE_NEWPID;
    private static final List<String> INIT_ENV = List.of(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "container=corral", "TERM=linux");

    private Launcher() {
    }

    /** Boots the server; users: this host's user namespaces, used for a server with a range of its own. */
    static InitProcess boot(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups, UserNamespaces users) {
        // Everything that may start a thread or a process is done here, before the boot thread unshares.
        String busybox = HostTools.busybox().toString();
        Path helper = spec.users() != null ? users.helper() : null;
        int shifted = spec.users() != null ? users.shifter(spec.users()) : -1;
        int[] pipe = Sys.pipe();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(setUpAndSpawn(spec, template, paths, cgroups, busybox, helper, shifted, pipe[1]));
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
            Sys.close(pipe[1]);
        }
        if (!(outcome.get() instanceof Integer pid)) {
            Sys.close(pipe[0]);
            Throwable failure = (Throwable) outcome.get();
            throw AgentException.failed("server " + spec.id() + " could not be booted: " + failure.getMessage(), failure);
        }
        String bootError = Sys.readAll(pipe[0]).trim();
        Sys.close(pipe[0]);
        Optional<InitProcess> init = InitProcess.read(pid);
        if (!bootError.isEmpty() || init.isEmpty()) {
            Sys.kill(pid, Sys.SIGKILL);
            Sys.awaitExit(pid); // the agent's child either way: spawned, or adopted as subreaper
            throw new AgentException(AgentException.Kind.FAILED, "server " + spec.id() + " did not boot: "
                    + (bootError.isEmpty() ? "its init exited at once" : bootError.lines().reduce((a, b) -> b).orElse("")));
        }
        return init.get();
    }

    /**
     * Returns the pid of the server's PID 1. With a user namespace of its own, the PID, network and
     * cgroup namespaces are made by the helper, after the user namespace, so that they belong to it
     * (root inside may then reboot its server, bind low ports and ping); the boot thread makes the
     * mount, UTS and IPC namespaces, which stay the host's user namespace's (see host-agent/README.md).
     */
    private static int setUpAndSpawn(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups,
                                     String busybox, Path helper, int shifted, int stderrFd) throws Exception {
        boolean ownUsers = spec.users() != null;
        cgroups.placeThread(spec.group(), Sys.gettid());
        Sys.unshare(ownUsers ? NAMESPACES & ~(Sys.CLONE_NEWPID | Sys.CLONE_NEWNET) : NAMESPACES);
        Sys.sethostname(spec.hostname());
        if (!ownUsers) {
            Network.loopbackUp();
        }
        // Nothing mounted from here on may propagate back to the host.
        Sys.mount(null, "/", null, Sys.MS_REC | Sys.MS_PRIVATE, null);
        RootFilesystem.mount(template.rootfs(), paths, spec.users(), shifted);
        Containment.confineThisThread(cgroups.controlsDevices(), ownUsers);
        BootScript.Parts script = BootScript.of(cgroups.selfJoinFiles(spec.group()), ownUsers, cgroups.controlsDevices());
        List<String> argv = new ArrayList<>(List.of(busybox, "sh", "-c", script.script(), "corral-boot", busybox,
                paths.root().toString(), spec.hostname(), ownUsers ? helper.toString() : "", script.stage()));
        argv.addAll(template.init());
        int[] toScript = Sys.pipe(), fromScript = Sys.pipe();
        int pid;
        try {
            pid = Spawn.spawn(busybox, argv, INIT_ENV, toScript[0], fromScript[1], stderrFd);
        } finally {
            Sys.close(toScript[0]);
            Sys.close(fromScript[1]);
        }
        try {
            int init = pid;
            if (ownUsers) {
                if (!Sys.readLine(fromScript[0]).equals("user")) {
                    return pid; // the helper failed: its error is on stderr
                }
                UserNamespaces.map(pid, spec.users());
                Sys.writeLine(toScript[1], "mapped");
                String forked = Sys.readLine(fromScript[0]);
                Sys.awaitExit(pid);
                if (!forked.startsWith("pid ")) {
                    return pid;
                }
                init = Integer.parseInt(forked.substring(4));
                Sys.enterNamespace(init, "net");
                Network.loopbackUp();
            }
            // Once /proc is mounted in the server's mount namespace, mask it with plain system calls
            // (a mount process each would add milliseconds), then let the script go on.
            if (Sys.readLine(fromScript[0]).equals("proc")) {
                if (ownUsers) {
                    Sys.enterNamespace(init, "mnt");
                }
                Containment.maskProc(paths.root());
                Sys.writeLine(toScript[1], "go");
            }
            return init;
        } finally {
            Sys.close(toScript[1]);
            Sys.close(fromScript[0]);
        }
    }
}
