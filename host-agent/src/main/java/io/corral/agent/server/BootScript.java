package io.corral.agent.server;

import io.corral.agent.containment.Containment;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixed script the host's busybox runs as a server's first process (see {@link Launcher}); its
 * arguments are busybox, the server's root, its hostname, the user namespace helper (or empty), the
 * stage below (or empty), then the template's init and its arguments.
 *
 * It joins the server's cgroup v2 groups as host root. A server without a user namespace of its own
 * goes straight on with the stage; one with goes through the helper first, which makes the user,
 * mount, PID, network and cgroup namespaces and forks PID 1 to run the stage as root of the
 * server's range. The stage mounts /proc from inside the PID namespace, waits while the agent masks
 * it, pivots into the root and execs init, confined: busybox setpriv clears CAP_SYS_ADMIN from the
 * inheritable set, or inside a user namespace (which gave every capability back) the helper
 * confines again.
 */
final class BootScript {
    private BootScript() {
    }

    /** The script, and the stage it runs through the helper (empty when the stage is inline). */
    record Parts(String script, String stage) {
    }

    static Parts of(List<Path> procsFiles, boolean ownUsers, boolean deviceControl) {
        StringBuilder joins = new StringBuilder();
        for (Path procs : procsFiles) {
            joins.append("echo 0 > '").append(procs).append("' || exit 1\n");
        }
        String stage = stage(ownUsers, deviceControl);
        if (!ownUsers) {
            return new Parts(joins + stage, "");
        }
        // The helper stays reachable past pivot_root on its descriptor; the stage comes in as $5.
        return new Parts(joins + "exec " + Containment.HELPER_FD + "<\"$4\" || exit 1\n"
                + "exec \"$4\" boot \"$1\" sh -c \"$5\" corral-boot \"$@\"\n", stage);
    }

    private static String stage(boolean ownUsers, boolean deviceControl) {
        StringBuilder s = new StringBuilder("""
                BB=$1 ROOT=$2 HOSTNAME=$3; shift 5
                $BB mount -t proc -o nosuid,nodev,noexec proc "$ROOT/proc" || exit 1
                echo proc
                read -r go || { echo "the agent could not mask /proc" >&2; exit 1; }
                exec </dev/null >/dev/null
                """);
        if (ownUsers) {
            // Mounts that came from the host's user namespace are locked together; pivot_root needs a root of its own.
            s.append("$BB mount -o rbind \"$ROOT\" \"$ROOT\" || exit 1\n");
        }
        s.append("""
                cd "$ROOT" || exit 1
                $BB pivot_root . . || exit 1
                umount -l / || exit 1
                cd /
                [ -d /etc ] && echo "$HOSTNAME" > /etc/hostname
                [ -x "$1" ] || { echo "init $1 is not executable in the server's root filesystem" >&2; exit 1; }
                """);
        // busybox's setpriv applet (run from its own binary), or the helper, then the server's init
        s.append("exec ").append(ownUsers ? Containment.helperConfinement(deviceControl)
                : "setpriv --inh-caps -" + Containment.SCRIPT_CAPABILITY).append(" \"$@\" 2>/dev/null\n");
        return s.toString();
    }
}
