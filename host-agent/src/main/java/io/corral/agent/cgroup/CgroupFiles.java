package io.corral.agent.cgroup;

import io.corral.agent.sys.KernelFiles;
import io.corral.agent.sys.Sys;
import io.corral.agent.sys.SysCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reading and writing cgroup control files, with errors that name the file and the value. */
final class CgroupFiles {
    private CgroupFiles() {
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }

    static String read(Path file) {
        try {
            String text = KernelFiles.read(file.toString());
            return text == null ? "" : text.trim();
        } catch (SysCallException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), new IOException(e));
        }
    }

    static long readLong(Path file) {
        String s = read(file);
        if (s.isEmpty() || s.equals("max")) {
            return s.isEmpty() ? 0 : Long.MAX_VALUE;
        }
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return Long.parseLong(s, 0, end, 10);
    }

    /** "key value" lines, as in memory.stat or cpu.stat. */
    static Map<String, Long> readKeyed(Path file) {
        Map<String, Long> values = new HashMap<>();
        for (String line : read(file).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                try {
                    values.put(line.substring(0, space), Long.parseLong(line, space + 1, line.length(), 10));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return values;
    }

    /**
     * The total stall time, in microseconds, of the "some" line of a pressure file (cpu.pressure,
     * memory.pressure, io.pressure): how long at least one of the group's tasks waited for the resource.
     * 0 where the kernel keeps no pressure information.
     */
    static long readPressureMicros(Path file) {
        String text = read(file);
        int total = text.startsWith("some ") ? text.indexOf("total=") : -1;
        if (total < 0) {
            return 0;
        }
        int end = total + 6;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return Long.parseLong(text, total + 6, end, 10);
    }

    /** Member pids, read through a fresh descriptor: cgroup v1 keeps a process list per open file. */
    static Set<Integer> readPids(Path procs) {
        Set<Integer> pids = new HashSet<>();
        String text;
        try {
            text = Sys.readSmallFile(procs.toString());
        } catch (SysCallException e) {
            throw new UncheckedIOException("read " + procs + ": " + e.getMessage(), new IOException(e));
        }
        for (String line : text == null ? new String[0] : text.split("\n")) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.trim()));
            }
        }
        return pids;
    }

    /**
     * Waits until the file (a state the kernel reports, e.g. freezer.state) holds a line equal to wanted,
     * reading it every millisecond; false if it does not within patience.
     */
    static boolean awaitLine(Path file, String wanted, java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!read(file).lines().anyMatch(wanted::equals)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static void mkdir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (NoSuchFileException e) {
            // the parent group was removed between its creation and ours (see rmdirIfEmpty): once more
            try {
                Files.createDirectories(dir);
            } catch (IOException again) {
                throw new UncheckedIOException("mkdir " + dir + ": " + again.getMessage(), again);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mkdir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a parent group once its last child is gone; one that still has children stays. */
    static void rmdirIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // EBUSY or ENOTEMPTY: other servers' groups are still in it
        }
    }

    /** rmdir, which is how a cgroup is removed (its control files cannot be deleted one by one). */
    static void rmdir(Path dir) {
        KernelFiles.forgetUnder(dir.toString());
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("rmdir " + dir + ": " + e.getMessage(), e);
        }
    }
}
