package io.corral.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the host's capacity from /proc and the state directory's filesystem. */
public final class HostProbe {
    private HostProbe() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static long memoryMiB() {
        return meminfoKiB("MemTotal:") / 1024;
    }

    static long memoryAvailableMiB() {
        return meminfoKiB("MemAvailable:") / 1024;
    }

    static String kernel() {
        return read("/proc/sys/kernel/osrelease");
    }

    static String hostname() {
        return read("/proc/sys/kernel/hostname");
    }

    static long diskMiB(Path dir) {
        try {
            return Files.getFileStore(dir).getTotalSpace() / (1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long diskFreeMiB(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace() / (1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of /proc/meminfo in KiB, e.g. "MemTotal:"; 0 if the kernel has no such line. */
    public static long meminfoKiB(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
