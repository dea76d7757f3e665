package io.corral.agent.containment;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.sys.HostTools;
import io.corral.agent.sys.IdmappedMount;
import io.corral.agent.sys.Spawn;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this host gives new servers a user namespace of their own (the host's setting, and what the
 * kernel allows), and the parts that need one: the single-threaded helper (src/main/c/corral-userns.c,
 * shipped in the jar, installed in the state directory), the uid and gid maps, and a namespace that
 * only carries a range's map, for idmapped mounts.
 */
public final class UserNamespaces {
    private static final String HELPER_RESOURCE = "corral-userns";
    private final boolean wanted;
    private final Path helper;
    private final String missing;
    /** The map-only user namespace of each range booted so far, kept open: making one takes two processes. */
    private final Map<UserRange, Integer> shifters = new ConcurrentHashMap<>();

    private UserNamespaces(boolean wanted, Path helper, String missing) {
        this.wanted = wanted;
        this.helper = helper;
        this.missing = missing;
    }

    /**
     * Installs the helper into the state directory and checks that the kernel can do what servers of
     * their own range need. Done even where the host turned them off: servers made while they were on
     * keep their range and still boot into it.
     */
    public static UserNamespaces detect(boolean wanted, StateDir state) {
        try {
            // Root of a server's range walks to the server's root by path before pivot_root: let it pass (not list).
            for (Path dir : List.of(state.root(), state.servers())) {
                Files.createDirectories(dir);
                searchableByOthers(dir);
            }
            for (Path above = state.root().getParent(); above != null; above = above.getParent()) {
                if (!Files.getPosixFilePermissions(above).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return new UserNamespaces(wanted, null, "root of a server's range could not reach the state directory: "
                            + above + " is not searchable by other users (chmod o+x " + above + ", or choose another --state-dir)");
                }
            }
            Path binDir = state.root().resolve("bin");
            Path helper = install(binDir);
            String limit = Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim();
            if (limit.equals("0")) {
                return new UserNamespaces(wanted, null, "the kernel allows no user namespaces (user.max_user_namespaces = 0)");
            }
            int probe = mapOnly(UserRange.number(0));
            try {
                IdmappedMount.probe(binDir.toString(), probe);
            } finally {
                Sys.close(probe);
            }
            return new UserNamespaces(wanted, helper, null);
        } catch (IOException | RuntimeException e) {
            return new UserNamespaces(wanted, null, "this host cannot give servers their own user range (that needs Linux 5.19 "
                    + "or later and a state directory on a file system with idmapped mounts, such as ext4 or xfs): " + e.getMessage());
        }
    }

    /** Lets other users (root of a server's range among them) pass through dir, not list it. */
    public static void searchableByOthers(Path dir) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        mode.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(dir, mode);
    }

    /** Whether new servers get a user namespace of their own. */
    public boolean enabled() {
        return wanted && helper != null;
    }

    /** Why new servers run without one; null when they get one. */
    public String unavailable() {
        if (enabled()) {
            return null;
        }
        return missing != null ? missing : "turned off on this host (--user-namespaces=off)";
    }

    /** The helper, for a server that has a range; fails with the reason where this host cannot run it. */
    public Path helper() {
        if (helper == null) {
            throw new AgentException(AgentException.Kind.FAILED, "this server has a user range of its own, but " + missing);
        }
        return helper;
    }

    /** Writes a process's uid and gid maps (it must have made its user namespace and be waiting). */
    public static void map(int pid, UserRange range) {
        Sys.writeFile("/proc/" + pid + "/uid_map", range.mapLine());
        Sys.writeFile("/proc/" + pid + "/gid_map", range.mapLine());
    }

    /**
     * A descriptor of a user namespace with the range's map, for shifting the template under a
     * server of that range; made on the first boot and kept until {@link #forget}. Call before any
     * thread of the agent unshares (it may start a process).
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

    /**
     * A descriptor of a user namespace that holds nothing but the range's map: busybox makes it (the
     * agent has threads, so cannot), waits while it is mapped and opened, then ends.
     */
    private static int mapOnly(UserRange range) {
        String busybox = HostTools.busybox().toString();
        int[] toChild = Sys.pipe(), fromChild = Sys.pipe();
        int pid;
        try {
            pid = Spawn.spawn(busybox, List.of(busybox, "unshare", "-U", busybox, "sh", "-c", "echo made; read -r done"),
                    List.of(), toChild[0], fromChild[1], -1);
        } finally {
            Sys.close(toChild[0]);
            Sys.close(fromChild[1]);
        }
        try {
            if (!Sys.readLine(fromChild[0]).equals("made")) {
                throw new IllegalStateException("busybox unshare -U could not make a user namespace");
            }
            map(pid, range);
            return Sys.open("/proc/" + pid + "/ns/user", Sys.O_RDONLY);
        } finally {
            Sys.close(toChild[1]);
            Sys.close(fromChild[0]);
            Sys.awaitExit(pid);
        }
    }

    /** The helper from the jar, replaced when it differs (running servers keep no reference to the file). */
    private static Path install(Path binDir) throws IOException {
        byte[] shipped;
        try (InputStream in = UserNamespaces.class.getResourceAsStream(HELPER_RESOURCE)) {
            if (in == null) {
                throw new IOException("the agent was built without " + HELPER_RESOURCE + " (gcc missing at build time?)");
            }
            shipped = in.readAllBytes();
        }
        Files.createDirectories(binDir);
        Path helper = binDir.resolve(HELPER_RESOURCE);
        if (!Files.exists(helper) || !Arrays.equals(Files.readAllBytes(helper), shipped)) {
            Path fresh = Files.createTempFile(binDir, HELPER_RESOURCE, ".new");
            Files.write(fresh, shipped);
            // root of a server's range execs it (through a descriptor the script opened as host root)
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(fresh, helper, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return helper;
    }
}
