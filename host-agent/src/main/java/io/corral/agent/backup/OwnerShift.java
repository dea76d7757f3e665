package io.corral.agent.backup;

import io.corral.agent.sys.Loop;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The owners of the files in a disk image moved from one server's host ids to another's: a server with a user
 * namespace of its own writes its files as its range's ids (root inside is the range's first), so a backup
 * restored into another server would show them as nobody's. The image is one no process uses yet (a restore
 * builds it beside the server's disk), mounted on a private point of the agent's with nosuid, nodev and
 * noexec; the walk never follows a link, so nothing in the customer's files leads it elsewhere.
 */
public final class OwnerShift {
    /** The ids of a range ({@link io.corral.agent.containment.UserRange#SIZE}). */
    private static final long RANGE = io.corral.agent.containment.UserRange.SIZE;

    private OwnerShift() {
    }

    /** Ids from..from+65535 become to..to+65535 (0 standing for the host's own ids); other ids are left as they are. */
    public static void shift(Path image, Path mountPoint, long from, long to) {
        if (from == to) {
            return;
        }
        try {
            Files.createDirectories(mountPoint);
            release(mountPoint);
            Loop.mount(image.toString(), mountPoint.toString(), "ext4", Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC);
            try {
                Files.walkFileTree(mountPoint, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        move(dir, from, to);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        move(file, from, to);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } finally {
                Sys.umount(mountPoint.toString(), 0);
            }
            Files.delete(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException("shift the owners in " + image + " from " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts what a shift cut short by a crash left mounted there, detached so that nothing holds it up;
     * otherwise a removal of the server's files would walk into the image and fail on its mount point.
     */
    public static void release(Path mountPoint) {
        while (Sys.umount(mountPoint.toString(), Sys.MNT_DETACH)) {
            // mounted more than once: each crash may have left one
        }
    }

    private static void move(Path file, long from, long to) throws IOException {
        int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        boolean link = Files.isSymbolicLink(file);
        // the kernel clears set-user-id and set-group-id at a chown, also root's: the mode is put back after
        int mode = link ? 0 : (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (inRange(uid, from)) {
            Files.setAttribute(file, "unix:uid", (int) (uid - from + to), LinkOption.NOFOLLOW_LINKS);
        }
        if (inRange(gid, from)) {
            Files.setAttribute(file, "unix:gid", (int) (gid - from + to), LinkOption.NOFOLLOW_LINKS);
        }
        if (!link && (mode & 06000) != 0 && (inRange(uid, from) || inRange(gid, from))) {
            Files.setAttribute(file, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static boolean inRange(long id, long first) {
        return Integer.toUnsignedLong((int) id) - first >= 0 && Integer.toUnsignedLong((int) id) - first < RANGE;
    }
}
