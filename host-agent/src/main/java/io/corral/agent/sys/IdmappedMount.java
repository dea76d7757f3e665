package io.corral.agent.sys;

import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A directory mounted elsewhere with its files' owners shown through a user namespace's map
 * (open_tree, mount_setattr with MOUNT_ATTR_IDMAP, move_mount; Linux 5.12, under overlayfs 5.19):
 * a template owned by host root appears owned by the root of a server's range, without a copy.
 */
public final class IdmappedMount {
    private static final long SYS_OPEN_TREE = 428, SYS_MOVE_MOUNT = 429, SYS_MOUNT_SETATTR = 442; // x86_64
    private static final int OPEN_TREE_CLONE = 1, AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final long MOUNT_ATTR_IDMAP = 0x00100000;
    private static final int MOUNT_ATTR_SIZE = 32; // struct mount_attr: attr_set, attr_clr, propagation, userns_fd

    private IdmappedMount() {
    }

    /** Mounts source, shifted by the map of the user namespace behind userNamespaceFd, at target. */
    public static void mount(String source, int userNamespaceFd, String target) {
        int tree = detachedShiftedCopy(source, userNamespaceFd);
        try {
            check(Sys.LIBC.syscall(SYS_MOVE_MOUNT, tree, string(""), AT_FDCWD, string(target), MOVE_MOUNT_F_EMPTY_PATH),
                    "move_mount(" + target + ")");
        } finally {
            Sys.close(tree);
        }
    }

    /** Whether this kernel and the file system under dir can show dir shifted (the copy is made and dropped). */
    public static void probe(String dir, int userNamespaceFd) {
        Sys.close(detachedShiftedCopy(dir, userNamespaceFd));
    }

    private static int detachedShiftedCopy(String source, int userNamespaceFd) {
        int tree = (int) check(Sys.LIBC.syscall(SYS_OPEN_TREE, AT_FDCWD, string(source), OPEN_TREE_CLONE | Sys.O_CLOEXEC),
                "open_tree(" + source + ")");
        try {
            Pointer attr = Memory.allocateDirect(Sys.RUNTIME, MOUNT_ATTR_SIZE, true);
            attr.putLong(0, MOUNT_ATTR_IDMAP);
            attr.putLong(24, userNamespaceFd);
            check(Sys.LIBC.syscall(SYS_MOUNT_SETATTR, tree, string(""), AT_EMPTY_PATH, attr, MOUNT_ATTR_SIZE),
                    "mount_setattr(" + source + ", MOUNT_ATTR_IDMAP)");
            return tree;
        } catch (RuntimeException e) {
            Sys.close(tree);
            throw e;
        }
    }

    private static Pointer string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(Sys.RUNTIME, bytes.length + 1, true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    private static long check(long result, String call) {
        if (result < 0) {
            throw new SysCallException(call, Sys.RUNTIME.getLastError());
        }
        return result;
    }
}
