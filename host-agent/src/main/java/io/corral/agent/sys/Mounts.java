package io.corral.agent.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What is mounted in the agent's own mount namespace, read from /proc/self/mountinfo. */
public final class Mounts {
    private Mounts() {
    }

    /** Whether a directory is the root of a mount of its own: its device differs from its parent's. */
    public static boolean isMountRoot(Path dir) {
        try {
            return !Files.getAttribute(dir, "unix:dev").equals(Files.getAttribute(dir.getParent(), "unix:dev"));
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean isMountPoint(Path path) {
        String target = path.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
