package io.corral.agent.backup;

import io.corral.agent.sys.ExtendedAttributes;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The owners of the files in a disk image moved from one server's host ids to another's: a server with a user
 * namespace of its own writes its files as its range's ids (root inside is the range's first), so a backup
 * restored into another server would show them as nobody's. The image is one no process uses yet (a restore
 * builds it beside the server's disk), mounted on a private point of the agent's with nosuid, nodev and
 * noexec and nosymfollow; the walk never follows a link, so nothing in the customer's files leads it elsewhere. File capabilities and
 * POSIX ACLs name ids too ({@link AttributeIds}): they move with the owners.
 */
public final class OwnerShift {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(OwnerShift.class.getName());
    /** The ids of a range ({@link io.corral.agent.containment.UserRange#SIZE}). */
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000;
    static final long RANGE = io.corral.agent.containment.UserRange.SIZE;

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
            Loop.mount(image.toString(), mountPoint.toString(), "ext4", Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC | Sys.MS_NOSYMFOLLOW);
            long[] undecoded = {0};
            try {
                Files.walkFileTree(mountPoint, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        undecoded[0] += move(dir, from, to) ? 0 : 1;
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        undecoded[0] += move(file, from, to) ? 0 : 1;
                        return FileVisitResult.CONTINUE;
                    }
                });
            } finally {
                Sys.umount(mountPoint.toString(), 0);
            }
            Files.delete(mountPoint);
            if (undecoded[0] > 0) {
                LOG.warning("owner shift of " + image + ": " + undecoded[0] + " files named in bytes the JVM does not decode kept their"
                        + " file capabilities and ACLs as they were (the capabilities cleared by the chown)");
            }
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

    /** Moves the file's owners and the ids its attributes name; false if its attributes were left (a name not decoded). */
    private static boolean move(Path file, long from, long to) throws IOException {
        Map<String, Object> stat = Files.readAttributes(file, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) stat.get("uid"), gid = (Integer) stat.get("gid"), mode = (Integer) stat.get("mode");
        int movedUid = AttributeIds.moved(uid, from, to), movedGid = AttributeIds.moved(gid, from, to);
        boolean owners = movedUid != uid || movedGid != gid;
        boolean link = (mode & S_IFMT) == S_IFLNK;
        // The attributes are read and written by name, as a string: a name the JVM cannot decode (not valid UTF-8) comes
        // back as another, which may be a link the customer made to lead the call elsewhere. Such a file keeps its owners'
        // move but not its attributes (a chown clears a capability); the mount follows no link in any case. A link has none.
        String path = file.toString();
        boolean named = Path.of(path).equals(file);
        // the kernel clears set-user-id, set-group-id and file capabilities at a chown, also root's: all are put back after
        Optional<byte[]> capability = named && !link ? ExtendedAttributes.get(path, AttributeIds.CAPABILITY) : Optional.empty();
        if (owners) {
            Files.setAttribute(file, "unix:uid", movedUid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:gid", movedGid, LinkOption.NOFOLLOW_LINKS);
        }
        if (link) {
            return true;
        }
        if (capability.isPresent()) {
            byte[] moved = AttributeIds.capability(capability.get(), from, to);
            if (owners || !Arrays.equals(moved, capability.get())) {
                ExtendedAttributes.set(path, AttributeIds.CAPABILITY, moved);
            }
        }
        if (owners && (mode & 06000) != 0) {
            Files.setAttribute(file, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        }
        // only a directory has a default ACL
        List<String> acls = !named ? List.of() : (mode & S_IFMT) == S_IFDIR ? AttributeIds.ACLS : AttributeIds.ACLS.subList(0, 1);
        for (String name : acls) {
            Optional<byte[]> acl = ExtendedAttributes.get(path, name);
            if (acl.isPresent()) {
                byte[] moved = AttributeIds.acl(acl.get(), from, to);
                if (!Arrays.equals(moved, acl.get())) {
                    ExtendedAttributes.set(path, name, moved);
                }
            }
        }
        return named;
    }
}
