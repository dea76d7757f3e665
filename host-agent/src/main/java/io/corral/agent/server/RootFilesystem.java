package io.corral.agent.server;

import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Mounts a server's root filesystem in the boot thread's private mount namespace: the template as
 * the read-only lower layer of an overlay whose upper layer lives on the server's own disk, a
 * minimal /dev and a read-only /sys. /proc is mounted later, from inside the PID namespace.
 */
final class RootFilesystem {
    private static final long DEV_FLAGS = Sys.MS_NOSUID | Sys.MS_NOEXEC;
    private static final String[][] DEVICES = {
            {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
            {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}};

    private RootFilesystem() {
    }

    static void mount(Path lower, ServerPaths paths) throws IOException {
        String root = paths.root().toString();
        Files.createDirectories(paths.root());
        Sys.mount("overlay", root, "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + paths.upper() + ",workdir=" + paths.work());
        Path r = paths.root();
        for (String dir : new String[] {"dev", "proc", "sys", "tmp"}) {
            realDirectory(r.resolve(dir));
        }
        Path dev = r.resolve("dev");
        Sys.mount("tmpfs", dev.toString(), "tmpfs", DEV_FLAGS, "mode=755,size=1024k");
        for (String[] d : DEVICES) {
            Sys.mknodChar(dev.resolve(d[0]).toString(), 0666, Integer.parseInt(d[1]), Integer.parseInt(d[2]));
        }
        Files.createDirectories(dev.resolve("pts"));
        Sys.mount("devpts", dev.resolve("pts").toString(), "devpts", DEV_FLAGS, "newinstance,ptmxmode=0666,mode=0620");
        Files.createSymbolicLink(dev.resolve("ptmx"), Path.of("pts/ptmx"));
        Files.createDirectories(dev.resolve("shm"));
        Sys.mount("tmpfs", dev.resolve("shm").toString(), "tmpfs", DEV_FLAGS | Sys.MS_NODEV, "mode=1777");
        Files.createDirectories(dev.resolve("mqueue"));
        Sys.mount("mqueue", dev.resolve("mqueue").toString(), "mqueue", DEV_FLAGS | Sys.MS_NODEV, null);
        Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
        Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
        Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
        Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
        Sys.mount("sysfs", r.resolve("sys").toString(), "sysfs",
                Sys.MS_RDONLY | Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC, null);
    }

    /**
     * The customer owns the root filesystem and may have replaced a mount point with a symbolic link;
     * mounting through it would put /proc or /dev where the customer chose. Make it a directory again.
     */
    private static void realDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(dir);
            Files.createDirectory(dir);
        }
    }
}
