package io.corral.agent.containment;

import io.corral.agent.StateDir;
import io.corral.agent.sys.IdmappedMount;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this host gives new servers a user namespace of their own (the host's setting, and what the
 * kernel allows), the uid and gid maps, and a namespace that only carries a range's map, for
 * idmapped mounts. corral-enter makes the namespaces (see {@link EnterHelper}).
 */
public final class UserNamespaces {
    private final boolean wanted;
    private final String missing;
    /** The map-only user namespace of each range booted so far, kept open: making one takes a process. */
    private final Map<UserRange, Integer> shifters = new ConcurrentHashMap<>();

    private UserNamespaces(boolean wanted, String missing) {
        this.wanted = wanted;
        this.missing = missing;
    }

    /**
     * Checks that the kernel can do what servers of their own range need. Done even where the host
     * turned them off: servers made while they were on keep their range and still boot into it.
     */
    public static UserNamespaces detect(boolean wanted, StateDir state) {
        try {
            Files.createDirectories(state.root());
            String limit = Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim();
            if (limit.equals("0")) {
                return new UserNamespaces(wanted, "the kernel allows no user namespaces (user.max_user_namespaces = 0)");
            }
            int probe = mapOnly(UserRange.number(0));
            try {
                IdmappedMount.probe(state.root().toString(), probe);
            } finally {
                Sys.close(probe);
            }
            return new UserNamespaces(wanted, null);
        } catch (IOException | RuntimeException e) {
            return new UserNamespaces(wanted, "this host cannot give servers their own user range (that needs Linux 5.19 "
                    + "or later and a state directory on a file system with idmapped mounts, such as ext4 or xfs): " + e.getMessage());
        }
    }

    /** Whether new servers get a user namespace of their own. */
    public boolean enabled() {
        return wanted && missing == null;
    }

    /** Why new servers run without one; null when they get one. */
    public String unavailable() {
        if (enabled()) {
            return null;
        }
        return missing != null ? missing : "turned off on this host (--user-namespaces=off)";
    }

    /** Fails with the reason where this host cannot boot a server that has a range of its own. */
    public void requireAvailable() {
        if (missing != null) {
            throw new io.corral.agent.AgentException(io.corral.agent.AgentException.Kind.FAILED,
                    "this server has a user range of its own, but " + missing);
        }
    }

    /** Writes a process's uid and gid maps (it must have made its user namespace and be waiting). */
    public static void map(int pid, UserRange range) {
        Sys.writeFile("/proc/" + pid + "/uid_map", range.mapLine());
        Sys.writeFile("/proc/" + pid + "/gid_map", range.mapLine());
    }

    /**
     * A descriptor of a user namespace with the range's map, for shifting the template under a
     * server of that range; made on the first boot and kept until {@link #forget}. Call before any
     * thread of the agent unshares (it starts a process).
     */
    public int shifter(UserRange range) {
        return shifters.computeIfAbsent(range, UserNamespaces::mapOnly);
    }

    /** Closes the range's kept namespace descriptor, when its server is destroyed. */
    public void forget(UserRange range) {
        Integer fd = shifters.remove(range);
        if (fd != null) {
            Sys.close(fd);
        }
    }

    /** A descriptor of a user namespace that holds nothing but the range's map (corral-enter map-only makes it). */
    private static int mapOnly(UserRange range) {
        int[] toChild = Pipes.pipe(), fromChild = Pipes.pipe();
        try {
            int pid;
            try {
                pid = EnterHelper.spawn(List.of("map-only"), List.of(), toChild[0], fromChild[1], -1);
            } finally {
                Sys.close(toChild[0]);
                Sys.close(fromChild[1]);
            }
            try {
                if (!Pipes.readLine(fromChild[0]).equals("made")) {
                    throw new IllegalStateException("corral-enter could not make a user namespace");
                }
                map(pid, range);
                return Sys.open("/proc/" + pid + "/ns/user", Sys.O_RDONLY);
            } finally {
                Sys.close(toChild[1]);
                Processes.awaitExit(pid);
            }
        } finally {
            Sys.close(fromChild[0]);
        }
    }
}
