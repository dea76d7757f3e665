package io.corral.agent.sys;

import java.nio.file.Files;
import java.nio.file.Path;

/** Host programs the agent relies on, found once with a message that says how to get them. */
public final class HostTools {
    private HostTools() {
    }

    /** Whether the program is an executable file in a directory of the agent's PATH. */
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The host's statically linked busybox, which the busybox template is made of. */
    public static Path busybox() {
        String configured = System.getenv("CORRAL_BUSYBOX");
        Path path = Path.of(configured != null ? configured : "/bin/busybox");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("no static busybox at " + path
                    + ": install Debian's busybox-static package (apt-get install busybox-static) or set CORRAL_BUSYBOX");
        }
        return path;
    }
}
