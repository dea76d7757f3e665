package io.corral.agent.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Checked system calls: each failure throws a {@link SysCallException} naming the call, the
 * arguments that matter and errno.
 */
public final class Sys {
    public static final int CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
            CLONE_NEWNET = 0x40000000, CLONE_NEWPID = 0x20000000;
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8,
            MS_REMOUNT = 32, MS_NOSYMFOLLOW = 256, MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18;
    public static final int MNT_DETACH = 2;
    public static final int O_RDONLY = 0, O_RDWR = 2, O_WRONLY = 1, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
    private static final long SYS_BPF = 321, SYS_MEMFD_CREATE = 319; // x86_64
    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, F_ADD_SEALS = 1033;
    /** F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE: the memory file can never change again. */
    private static final int ALL_SEALS = 1 | 2 | 4 | 8;
    public static final int S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFMT = 0170000;

    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Sys() {
    }

    static int check(int result, String call) {
        if (result < 0) {
            throw new SysCallException(call, RUNTIME.getLastError());
        }
        return result;
    }

    public static void unshare(int flags) {
        check(LIBC.unshare(flags), "unshare(0x" + Integer.toHexString(flags) + ")");
    }

    public static void sethostname(String name) {
        check(LIBC.sethostname(name, name.length()), "sethostname(" + name + ")");
    }

    public static void mount(String source, String target, String fstype, long flags, String data) {
        check(LIBC.mount(source, target, fstype, flags, data), "mount(" + source + ", " + target + ", " + fstype + ")");
    }

    /** Unmounts; returns false if nothing was mounted there. */
    public static boolean umount(String target, int flags) {
        if (LIBC.umount2(target, flags) == 0) {
            return true;
        }
        int errno = RUNTIME.getLastError();
        if (errno == Errno.EINVAL || errno == Errno.ENOENT) {
            return false;
        }
        throw new SysCallException("umount2(" + target + ")", errno);
    }

    public static void mknodChar(String path, int mode, int major, int minor) {
        mknod(path, S_IFCHR, mode, major, minor);
    }

    public static void mknodBlock(String path, int mode, int major, int minor) {
        mknod(path, S_IFBLK, mode, major, minor);
    }

    private static void mknod(String path, int type, int mode, int major, int minor) {
        check(LIBC.mknod(path, type | mode, makedev(major, minor)), "mknod(" + path + ", " + major + ":" + minor + ")");
        // mknod honours the umask; device nodes need their exact mode.
        check(LIBC.chmod(path, mode), "chmod(" + path + ")");
    }

    /** A device number as glibc's makedev (and stat's st_rdev) lays it out: major and minor split across its halves. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL, mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static int open(String path, int flags) {
        return check(LIBC.open(path, flags | O_CLOEXEC, 0), "open(" + path + ")");
    }

    public static void close(int fd) {
        LIBC.close(fd);
    }

    public static int ioctl(int fd, long request, long arg, String what) {
        return check(LIBC.ioctl(fd, request, arg), "ioctl(" + what + ")");
    }

    public static int ioctl(int fd, long request, jnr.ffi.Pointer arg, String what) {
        return check(LIBC.ioctl(fd, request, arg), "ioctl(" + what + ")");
    }

    /** Writes a whole file in one write(2), as /proc's map and sysctl files require. */
    public static void writeFile(String path, String content) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        try {
            byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (LIBC.write(fd, bytes, bytes.length) != bytes.length) {
                throw new SysCallException("write(" + path + ")", RUNTIME.getLastError());
            }
        } finally {
            close(fd);
        }
    }

    private static final ThreadLocal<byte[][]> SMALL_FILE = ThreadLocal.withInitial(() -> new byte[][] {new byte[16384], new byte[4096]});

    /**
     * The text of a small kernel file (cgroup, /proc), or null if it does not exist: one open, reads
     * and a close, without the JDK's channel and buffer allocations, as the sampler reads thousands
     * of these a round. Text past 16 KiB is cut off.
     */
    public static String readSmallFile(String path) {
        int fd = openForReading(path);
        if (fd < 0) {
            return null;
        }
        try {
            return readSmallFile(fd, path);
        } finally {
            LIBC.close(fd);
        }
    }

    /** A read-only, close-on-exec descriptor of the file, or -1 if it does not exist. */
    static int openForReading(String path) {
        int fd = LIBC.open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = RUNTIME.getLastError();
            if (errno == Errno.ENOENT) {
                return -1;
            }
            throw new SysCallException("open " + path, errno);
        }
        return fd;
    }

    /**
     * The whole text of an open kernel file, read from its start (pread: a kernel file regenerates
     * its text when read from offset 0, so a descriptor can be read again and again).
     */
    static String readSmallFile(int fd, String path) {
        byte[] text = SMALL_FILE.get()[0], chunk = SMALL_FILE.get()[1];
        int length = 0;
        while (length < text.length) {
            long n = LIBC.pread(fd, chunk, Math.min(chunk.length, text.length - length), length);
            if (n < 0 && RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                throw new SysCallException("read " + path, RUNTIME.getLastError());
            }
            if (n == 0) {
                break;
            }
            System.arraycopy(chunk, 0, text, length, (int) n);
            length += (int) n;
        }
        return new String(text, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** prctl(2) with plain arguments. */
    public static int prctl(int option, long arg2, String what) {
        return check(LIBC.prctl(option, arg2, 0, 0, 0), "prctl(" + what + ")");
    }

    /**
     * Bytes in use on the file system mounted at path, from one statvfs(2): the JDK's FileStore
     * finds its mount entry by reading all of /proc/mounts, which a sampler of hundreds of mounted
     * disks cannot afford per disk.
     */
    public static long usedBytes(String path) {
        jnr.ffi.Pointer buf = jnr.ffi.Memory.allocateDirect(RUNTIME, 112);
        check(LIBC.statvfs(path, buf), "statvfs(" + path + ")");
        long frsize = buf.getLong(8), blocks = buf.getLong(16), free = buf.getLong(24);
        return (blocks - free) * frsize;
    }

    /** bpf(2): the command's attribute block; returns what the call returns (a descriptor for loads). */
    public static int bpf(int command, jnr.ffi.Pointer attributes, int size, String what) {
        long result = LIBC.syscall(SYS_BPF, command, attributes, size);
        if (result < 0) {
            throw new SysCallException(what, RUNTIME.getLastError());
        }
        return (int) result;
    }

    /** A close-on-exec memory file (memfd_create), which may be sealed. */
    public static int memfd(String name) {
        return (int) checkLong(LIBC.syscall(SYS_MEMFD_CREATE, name, MFD_CLOEXEC | MFD_ALLOW_SEALING), "memfd_create(" + name + ")");
    }

    /** Writes all of bytes to a memory file, then seals it: no write, resize or new seal is possible after this. */
    public static void fillAndSeal(int fd, byte[] bytes) {
        jnr.ffi.Pointer buffer = jnr.ffi.Memory.allocateDirect(RUNTIME, bytes.length);
        buffer.put(0, bytes, 0, bytes.length);
        long written = 0;
        while (written < bytes.length) {
            long n = LIBC.write(fd, buffer.slice(written), bytes.length - written);
            if (n < 0 && RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            written += checkLong(n, "write to a memory file");
        }
        check(LIBC.fcntl(fd, F_ADD_SEALS, ALL_SEALS), "fcntl(F_ADD_SEALS)");
    }

    /** Everything in a file, read from its start. */
    public static byte[] readWhole(int fd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        while (true) {
            long n = LIBC.pread(fd, chunk, chunk.length, out.size());
            if (n < 0 && RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (checkLong(n, "pread") == 0) {
                return out.toByteArray();
            }
            out.write(chunk, 0, (int) n);
        }
    }

    /** Frees memory a C library handed over (malloc'd). */
    public static void free(jnr.ffi.Pointer pointer) {
        LIBC.free(pointer);
    }

    static long checkLong(long result, String call) {
        if (result < 0) {
            throw new SysCallException(call, RUNTIME.getLastError());
        }
        return result;
    }

    public static jnr.ffi.Runtime runtime() {
        return RUNTIME;
    }
}
