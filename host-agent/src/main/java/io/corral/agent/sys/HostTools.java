package io.corral.agent.sys;

import java.nio.file.Files;
import java.nio.file.Path;

/** Host programs the agent relies on, found once with a message that says how to get them. */
public final class HostTools {
    private static volatile Path checkedBusybox;

    private HostTools() {
    }

    /**
     * The host's statically linked busybox: it builds the busybox template and runs the trusted
     * first steps inside every new server (join the cgroup, mount /proc, pivot_root) before the
     * server's own init takes over.
     */
    public static Path busybox() {
        if (checkedBusybox != null) {
            return checkedBusybox;
        }
        String configured = System.getenv("CORRAL_BUSYBOX");
        Path path = Path.of(configured != null ? configured : "/bin/busybox");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("no static busybox at " + path
                    + ": install Debian's busybox-static package (apt-get install busybox-static) or set CORRAL_BUSYBOX");
        }
        // The boot script runs applets after pivot_root, when a path would name the customer's file:
        // busybox must run its own applets first (FEATURE_SH_STANDALONE with FEATURE_PREFER_APPLETS).
        String type = Command.run(path.toString(), "sh", "-c", "type umount");
        if (!type.equals("umount is umount")) {
            throw new IllegalStateException(path + " does not prefer its own applets (type umount: " + type
                    + "); use Debian's busybox-static build");
        }
        checkedBusybox = path;
        return path;
    }
}
