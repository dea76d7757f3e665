package io.corral.agent.filesystem;

import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileSystemFreeze;
import io.corral.agent.sys.Loop;
import io.corral.agent.sys.Mounts;
import io.corral.agent.sys.Sys;
import io.corral.agent.sys.SysCallException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server's disk: a sparse ext4 image sized to its quota, mounted on the host, holding the upper
 * and work directories of its overlay root. The filesystem's size is the quota: writes past it
 * fail with ENOSPC inside the server.
 */
public final class Disk {
    /** A full check or shrink of a large, full disk takes minutes; past this the tool is stuck on its device. */
    private static final Duration TOOLS_WITHIN = Duration.ofMinutes(30);

    private Disk() {
    }

    public static void create(ServerPaths paths, long mib) {
        try (RandomAccessFile image = new RandomAccessFile(paths.image().toFile(), "rw")) {
            image.setLength(mib * 1024 * 1024);
            // the customer's data: no other user of the host reads it, whatever the umask
            Files.setPosixFilePermissions(paths.image(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("create " + paths.image() + ": " + e.getMessage(), e);
        }
        // -m 0: no blocks reserved for root, the customer gets the whole quota.
        Command.runWithin(TOOLS_WITHIN, "mkfs.ext4", "-q", "-F", "-m", "0", "-E", "nodiscard", paths.image().toString());
    }

    public static void mount(ServerPaths paths) {
        if (Mounts.isMountPoint(paths.disk())) {
            return;
        }
        try {
            Files.createDirectories(paths.disk());
            Loop.mount(paths.image().toString(), paths.disk().toString(), "ext4", Sys.MS_NOSUID | Sys.MS_NODEV);
            Files.createDirectories(paths.upper());
            Files.createDirectories(paths.work());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void unmount(ServerPaths paths) {
        if (Mounts.isMountRoot(paths.disk())) {
            // a freeze a snapshot cut short left behind would hold the unmount forever
            FileSystemFreeze.thaw(paths.disk());
        }
        while (Sys.umount(paths.disk().toString(), 0)) {
            // stacked mounts of the same image, if an earlier agent left one behind
        }
    }

    /** Changes the quota of an unmounted disk; shrinking fails if the data does not fit. */
    public static void resize(ServerPaths paths, long mib) {
        resize(paths.image(), mib);
    }

    /** Changes the quota of an image that is not mounted (a server's, or one about to take its place). */
    public static void resize(Path imageFile, long mib) {
        String image = imageFile.toString();
        Command.runWithin(TOOLS_WITHIN, "e2fsck", "-f", "-p", image);
        long bytes = mib * 1024 * 1024;
        try (RandomAccessFile file = new RandomAccessFile(image, "rw")) {
            if (bytes > file.length()) {
                file.setLength(bytes);
                Command.runWithin(TOOLS_WITHIN, "resize2fs", image);
            } else {
                Command.runWithin(TOOLS_WITHIN, "resize2fs", image, (mib * 1024) + "K");
                file.setLength(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("resize " + image + ": " + e.getMessage(), e);
        }
    }

    /** major:minor of the loop device the mounted disk is on, which its IO limits are written for. */
    public static String device(ServerPaths paths) {
        if (!Mounts.isMountRoot(paths.disk())) {
            throw new IllegalStateException(paths.disk() + " is not mounted: no device to hold to IO limits");
        }
        try {
            long dev = (Long) Files.getAttribute(paths.disk(), "unix:dev");
            // the kernel's encoding of dev_t (glibc's major() and minor())
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            return major + ":" + minor;
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + paths.disk() + ": " + e.getMessage(), e);
        }
    }

    /** What the server's files take on its disk; nothing while its disk is not mounted. */
    public static long usedBytes(ServerPaths paths) {
        if (!Mounts.isMountRoot(paths.disk())) {
            return 0;
        }
        try {
            return Sys.usedBytes(paths.disk().toString());
        } catch (SysCallException e) {
            return 0;
        }
    }
}
