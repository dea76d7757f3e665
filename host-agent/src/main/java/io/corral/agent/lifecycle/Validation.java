package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.host.HostProbe;
import io.corral.agent.spec.Limits;
import java.util.regex.Pattern;

/** The rules for what a request may ask for; each refusal names the field and the rule. */
final class Validation {
    // Ids name a directory and a cgroup: no dots or slashes, so they can never leave the state directory.
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    static final long MIN_MEMORY_MIB = 16, MIN_DISK_MIB = 64, MAX_SWAP_MIB = 1L << 20;
    static final int MIN_PIDS = 8, MAX_PIDS = 4_194_304, MAX_WEIGHT = 10_000;
    static final long MAX_MBIT = 100_000, MAX_DISK_MIBPS = 100_000, MAX_DISK_IOPS = 10_000_000;

    private Validation() {
    }

    static void id(String id) {
        id("id", id);
    }

    /** A server's id given in another field (the source of a backup, say). */
    static void id(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw AgentException.invalid(field, "1 to 63 letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    /** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, 63 each, 253 in all. */
    static void hostname(String hostname) {
        if (hostname == null || hostname.isEmpty() || hostname.length() > 253) {
            throw AgentException.invalid("hostname", "must be 1 to 253 characters (RFC 1123)");
        }
        for (String label : hostname.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw AgentException.invalid("hostname", "'" + label + "' is not a valid label: letters, digits and"
                        + " inner hyphens, 1 to 63 characters each (RFC 1123)");
            }
        }
    }

    /** Limits within sane ranges and within what this host has. */
    static void limits(Limits l, long hostDiskFreeMiB) {
        long hostMemory = HostProbe.memoryMiB();
        int cores = HostProbe.cores();
        if (l.memoryMiB() < MIN_MEMORY_MIB || l.memoryMiB() > hostMemory) {
            throw AgentException.invalid("limits.memoryMiB", "must be between " + MIN_MEMORY_MIB + " and the host's "
                    + hostMemory + " MiB, got " + l.memoryMiB());
        }
        if (l.swapMiB() < 0 || l.swapMiB() > MAX_SWAP_MIB) {
            throw AgentException.invalid("limits.swapMiB", "must be between 0 and " + MAX_SWAP_MIB + ", got " + l.swapMiB());
        }
        if (!(l.cpus() >= 0.01) || l.cpus() > cores) {
            throw AgentException.invalid("limits.cpus", "must be between 0.01 and the host's " + cores + " cores, got " + l.cpus());
        }
        if (l.cpuWeight() < 1 || l.cpuWeight() > MAX_WEIGHT) {
            throw AgentException.invalid("limits.cpuWeight", "must be between 1 and " + MAX_WEIGHT + ", got " + l.cpuWeight());
        }
        if (l.pids() < MIN_PIDS || l.pids() > MAX_PIDS) {
            throw AgentException.invalid("limits.pids", "must be between " + MIN_PIDS + " and " + MAX_PIDS + ", got " + l.pids());
        }
        if (l.diskMiB() < MIN_DISK_MIB || l.diskMiB() > hostDiskFreeMiB) {
            throw AgentException.invalid("limits.diskMiB", "must be between " + MIN_DISK_MIB + " and the "
                    + hostDiskFreeMiB + " MiB free on the host, got " + l.diskMiB());
        }
        atMost("limits.networkInMbit", l.networkInMbit(), MAX_MBIT);
        atMost("limits.networkOutMbit", l.networkOutMbit(), MAX_MBIT);
        atMost("limits.diskMiBps", l.diskMiBps(), MAX_DISK_MIBPS);
        atMost("limits.diskIops", l.diskIops(), MAX_DISK_IOPS);
    }

    /** A limit where 0 means none. */
    private static void atMost(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw AgentException.invalid(field, "must be between 0 (no limit) and " + max + ", got " + value);
        }
    }
}
