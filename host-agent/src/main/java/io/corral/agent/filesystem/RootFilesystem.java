package io.corral.agent.filesystem;

import io.corral.agent.containment.UserRange;
import io.corral.agent.sys.IdmappedMount;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Mounts a server's root filesystem in the boot thread's private mount namespace: the template as
 * the read-only lower layer of an overlay whose upper layer lives on the server's own disk, a
 * minimal /dev. /proc and /sys are mounted later by corral-enter, from inside the server's PID and
 * network namespaces.
 *
 * For a server with a user range of its own the template is mounted shifted into the range first
 * (idmapped: host root's files appear owned by the range's root, without a copy), and what the
 * agent makes in the root belongs to the range's root too, so root inside owns its own system.
 */
public final class RootFilesystem {
    private static final long DEV_FLAGS = Sys.MS_NOSUID | Sys.MS_NOEXEC;
    private static final String[][] DEVICES = {
            {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
            {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}};

    private RootFilesystem() {
    }

    /**
     * users and shifted (a descriptor of a user namespace with the range's map) for a server with a
     * range of its own; memoryMiB: the server's memory limit, half of which its /dev/shm may hold (as
     * a tmpfs's default is half the machine's), so filling it ends in ENOSPC rather than in the
     * memory limit's OOM killer.
     */
    public static void mount(Path template, ServerPaths paths, UserRange users, int shifted, long memoryMiB) throws IOException {
        String root = paths.root().toString();
        Files.createDirectories(paths.root());
        Path lower = template;
        if (users != null) {
            lower = paths.shiftedTemplate();
            Files.createDirectories(lower);
            IdmappedMount.mount(template.toString(), shifted, lower.toString());
            // the overlay's root directory is the upper layer's
            owner(paths.upper(), users);
        }
        Sys.mount("overlay", root, "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + paths.upper() + ",workdir=" + paths.work());
        Path r = paths.root();
        for (String dir : new String[] {"dev", "proc", "sys", "tmp"}) {
            if (realDirectory(r.resolve(dir)) && users != null) {
                owner(r.resolve(dir), users);
            }
        }
        Path dev = r.resolve("dev");
        Sys.mount("tmpfs", dev.toString(), "tmpfs", DEV_FLAGS, "mode=755,size=1024k"
                + (users != null ? ",uid=" + users.first() + ",gid=" + users.first() : ""));
        for (String[] d : DEVICES) {
            Sys.mknodChar(dev.resolve(d[0]).toString(), 0666, Integer.parseInt(d[1]), Integer.parseInt(d[2]));
            if (users != null) {
                owner(dev.resolve(d[0]), users);
            }
        }
        Files.createDirectories(dev.resolve("pts"));
        Sys.mount("devpts", dev.resolve("pts").toString(), "devpts", DEV_FLAGS, "newinstance,ptmxmode=0666,mode=0620");
        Files.createSymbolicLink(dev.resolve("ptmx"), Path.of("pts/ptmx"));
        Files.createDirectories(dev.resolve("shm"));
        Sys.mount("tmpfs", dev.resolve("shm").toString(), "tmpfs", DEV_FLAGS | Sys.MS_NODEV,
                "mode=1777,size=" + Math.max(1, memoryMiB / 2) + "m");
        Files.createDirectories(dev.resolve("mqueue"));
        Sys.mount("mqueue", dev.resolve("mqueue").toString(), "mqueue", DEV_FLAGS | Sys.MS_NODEV, null);
        Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
        Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
        Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
        Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
    }

    /**
     * The customer owns the root filesystem and may have replaced a mount point with a symbolic link;
     * mounting through it would put /proc or /dev where the customer chose. Make it a directory again.
     * Returns whether it had to.
     */
    private static boolean realDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.deleteIfExists(dir);
        Files.createDirectory(dir);
        return true;
    }

    /** Gives what the agent made in the server's root to the root of its range. */
    private static void owner(Path made, UserRange users) throws IOException {
        Files.setAttribute(made, "unix:uid", (int) users.first(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(made, "unix:gid", (int) users.first(), LinkOption.NOFOLLOW_LINKS);
    }
}
