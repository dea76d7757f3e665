package io.corral.agent.sys;

import java.nio.file.Path;

/**
 * A mounted file system frozen (FIFREEZE): the kernel writes out its dirty data and journal, then holds
 * every new write until it is thawed (FITHAW), so the device beneath it is a clean, consistent image
 * meanwhile. The freeze outlives the process that made it: whoever froze it must thaw it, also after a crash.
 */
public final class FileSystemFreeze {
    /** _IOWR('X', 119, int) and _IOWR('X', 120, int). */
    private static final long FIFREEZE = 0xC0045877L, FITHAW = 0xC0045878L;

    private FileSystemFreeze() {
    }

    public static void freeze(Path mountPoint) {
        int fd = Sys.open(mountPoint.toString(), Sys.O_RDONLY | Sys.O_DIRECTORY);
        try {
            Sys.ioctl(fd, FIFREEZE, 0L, mountPoint + ", FIFREEZE");
        } finally {
            Sys.close(fd);
        }
    }

    /** Thaws the file system; false if it was not frozen. */
    public static boolean thaw(Path mountPoint) {
        int fd = Sys.open(mountPoint.toString(), Sys.O_RDONLY | Sys.O_DIRECTORY);
        try {
            if (Sys.LIBC.ioctl(fd, FITHAW, 0L) == 0) {
                return true;
            }
            int errno = Sys.RUNTIME.getLastError();
            if (errno == Errno.EINVAL) {
                return false;
            }
            throw new SysCallException("ioctl(" + mountPoint + ", FITHAW)", errno);
        } finally {
            Sys.close(fd);
        }
    }
}
