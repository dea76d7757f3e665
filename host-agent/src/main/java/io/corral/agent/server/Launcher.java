package io.corral.agent.server;

import io.corral.agent.AgentException;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.Containment;
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
 * mount and PID namespaces, sets the hostname, brings loopback up, builds the root filesystem (overlay, /dev, /sys) in
 * its private mount namespace and spawns the first process, PID 1 of the new PID namespace.
 *
 * That first process is the host's static busybox running a short, fixed script: it joins the
 * cgroup v2 groups (where a thread cannot be moved alone), mounts /proc (which must be
 * mounted from inside the PID namespace), pivots into the root and execs the template's init. So no
 * code from the server's root filesystem runs before the server is inside its limits. The script's
 * stderr is a close-on-exec pipe: its error text, or end of file once init has exec'd. The script
 * also writes the server's hostname to its /etc/hostname, from inside, so distributions whose init
 * sets the hostname from that file keep the panel's.
 *
 * Before that, the boot thread confines itself (see {@link Containment}): the script runs with the
 * reduced bounding set and the seccomp filter, and hands CAP_SYS_ADMIN back (busybox setpriv clears
 * it from the inheritable set) as it execs init, so init and everything after it hold the kept
 * capabilities at most. Once the script has mounted /proc it says so on its stdout and waits on its
 * stdin while the boot thread, in the same mount namespace, masks /proc.
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

    static InitProcess boot(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups) {
        // Everything that may start a thread or a process is done here, before the boot thread unshares.
        String busybox = HostTools.busybox().toString();
        int[] pipe = Sys.pipe();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(setUpAndSpawn(spec, template, paths, cgroups, busybox, pipe[1]));
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
            Sys.reap(pid);
            throw new AgentException(AgentException.Kind.FAILED, "server " + spec.id() + " did not boot: "
                    + (bootError.isEmpty() ? "its init exited at once" : bootError.lines().reduce((a, b) -> b).orElse("")));
        }
        return init.get();
    }

    private static int setUpAndSpawn(ServerSpec spec, Template template, ServerPaths paths, Cgroups cgroups,
                                     String busybox, int stderrFd) throws Exception {
        cgroups.placeThread(spec.group(), Sys.gettid());
        Sys.unshare(NAMESPACES);
        Sys.sethostname(spec.hostname());
        Network.loopbackUp();
        // Nothing mounted from here on may propagate back to the host.
        Sys.mount(null, "/", null, Sys.MS_REC | Sys.MS_PRIVATE, null);
        RootFilesystem.mount(template.rootfs(), paths);
        Containment.confineThisThread(cgroups.controlsDevices());
        String script = bootScript(cgroups.selfJoinFiles(spec.group()));
        List<String> argv = new ArrayList<>(List.of(busybox, "sh", "-c", script,
                "corral-boot", busybox, paths.root().toString(), spec.hostname()));
        argv.addAll(template.init());
        int[] procMounted = Sys.pipe(), goOn = Sys.pipe();
        int pid;
        try {
            pid = Spawn.spawn(busybox, argv, INIT_ENV, goOn[0], procMounted[1], stderrFd);
        } finally {
            Sys.close(goOn[0]);
            Sys.close(procMounted[1]);
        }
        try {
            // This thread shares the script's mount namespace: once /proc is mounted there, mask it
            // with plain system calls (a mount process each would add milliseconds), then let it go on.
            if (Sys.readLine(procMounted[0]).equals("proc")) {
                Containment.maskProc(paths.root());
                Sys.writeLine(goOn[1], "go");
            }
        } finally {
            Sys.close(goOn[1]);
            Sys.close(procMounted[0]);
        }
        return pid;
    }

    private static String bootScript(List<Path> procsFiles) {
        StringBuilder s = new StringBuilder("BB=$1 ROOT=$2 HOSTNAME=$3; shift 3\n");
        for (Path procs : procsFiles) {
            s.append("echo 0 > '").append(procs).append("' || exit 1\n");
        }
        s.append("""
                $BB mount -t proc -o nosuid,nodev,noexec proc "$ROOT/proc" || exit 1
                echo proc
                read -r go || { echo "the agent could not mask /proc" >&2; exit 1; }
                exec </dev/null >/dev/null
                cd "$ROOT" || exit 1
                $BB pivot_root . . || exit 1
                umount -l / || exit 1
                cd /
                [ -d /etc ] && echo "$HOSTNAME" > /etc/hostname
                [ -x "$1" ] || { echo "init $1 is not executable in the server's root filesystem" >&2; exit 1; }
                """);
        // busybox's setpriv applet (run from its own binary), then the server's init without SYS_ADMIN
        s.append("exec setpriv --inh-caps -").append(Containment.SCRIPT_CAPABILITY).append(" \"$@\" 2>/dev/null\n");
        return s.toString();
    }
}
