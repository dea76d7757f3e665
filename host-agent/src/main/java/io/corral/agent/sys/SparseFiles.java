package io.corral.agent.sys;

import java.nio.file.Path;
import jnr.ffi.byref.LongLongByReference;

/**
 * Files with holes, as a server's disk image is: its data extents found with lseek(SEEK_DATA, SEEK_HOLE),
 * and copies that keep the holes (a reflink where the file system shares blocks, else the data extents
 * only, copied in the kernel with copy_file_range).
 */
public final class SparseFiles {
    private static final int SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    private static final int O_CREAT = 0100, O_EXCL = 0200;
    private static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    /** FICLONE: _IOW(0x94, 9, int). */
    private static final long FICLONE = 0x40049409L;
    /** At most this much per copy_file_range call, so one call never holds the kernel for long. */
    private static final long COPY_STEP = 64L << 20;
    /** What copy_file_range answers where it cannot copy between the two files in the kernel. */
    private static final java.util.Set<Integer> CROSS_DEVICE = java.util.Set.of(Errno.EXDEV, Errno.EOPNOTSUPP, Errno.EINVAL, Errno.ENOSYS);
    private static final int BUFFER_BYTES = 1 << 20;

    /** What a visitor is given: one range of data, [offset, offset + length). */
    public interface ExtentVisitor {
        void visit(long offset, long length);
    }

    private SparseFiles() {
    }

    /** A read-only descriptor of the file; close it with {@link Sys#close}. */
    public static int openForReading(Path file) {
        return Sys.open(file.toString(), Sys.O_RDONLY);
    }

    /** The file's size (its apparent size, holes included). */
    public static long size(int fd, String what) {
        return Sys.checkLong(Sys.LIBC.lseek(fd, 0, SEEK_END), "lseek(" + what + ", SEEK_END)");
    }

    /** Visits the file's data extents in order, up to size; holes are skipped. Returns the bytes of data visited. */
    public static long forEachExtent(int fd, long size, String what, ExtentVisitor visitor) {
        long offset = 0, data = 0;
        while (offset < size) {
            long start = Sys.LIBC.lseek(fd, offset, SEEK_DATA);
            if (start < 0) {
                int errno = Sys.RUNTIME.getLastError();
                if (errno == Errno.ENXIO) {
                    break; // no data past offset
                }
                throw new SysCallException("lseek(" + what + ", " + offset + ", SEEK_DATA)", errno);
            }
            long end = Math.min(size, Sys.checkLong(Sys.LIBC.lseek(fd, start, SEEK_HOLE), "lseek(" + what + ", " + start + ", SEEK_HOLE)"));
            if (start >= end) {
                break;
            }
            visitor.visit(start, end - start);
            data += end - start;
            offset = end;
        }
        return data;
    }

    /**
     * Copies from into a new file to (mode 0600, which must not exist), keeping holes: a reflink (FICLONE)
     * where the file system can share blocks, else each data extent by copy_file_range. Made durable (fsync)
     * before it returns. Returns the bytes of data the copy holds. A copy that fails leaves to behind for the
     * caller to delete.
     */
    public static long copy(Path from, Path to) {
        int in = openForReading(from);
        try {
            int out = Sys.check(Sys.LIBC.open(to.toString(), Sys.O_WRONLY | O_CREAT | O_EXCL | Sys.O_CLOEXEC, 0600), "open(" + to + ")");
            try {
                long size = size(in, from.toString());
                long data;
                if (Sys.LIBC.ioctl(out, FICLONE, in) == 0) {
                    data = forEachExtent(in, size, from.toString(), (offset, length) -> { });
                } else {
                    int errno = Sys.RUNTIME.getLastError();
                    if (errno != Errno.EOPNOTSUPP && errno != Errno.EXDEV && errno != Errno.EINVAL && errno != Errno.ENOTTY) {
                        throw new SysCallException("ioctl(" + to + ", FICLONE, " + from + ")", errno);
                    }
                    Sys.check(Sys.LIBC.ftruncate(out, size), "ftruncate(" + to + ", " + size + ")");
                    data = forEachExtent(in, size, from.toString(), (offset, length) -> copyRange(in, out, offset, length, to));
                }
                Sys.check(Sys.LIBC.fsync(out), "fsync(" + to + ")");
                return data;
            } finally {
                Sys.close(out);
            }
        } finally {
            Sys.close(in);
        }
    }

    /** The range [offset, offset + length) of the file made a hole again (reading zeros), its size unchanged. */
    public static void punchHole(Path file, long offset, long length) {
        int fd = Sys.open(file.toString(), Sys.O_WRONLY);
        try {
            Sys.check(Sys.LIBC.fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, offset, length),
                    "fallocate(" + file + ", PUNCH_HOLE, " + offset + ", " + length + ")");
        } finally {
            Sys.close(fd);
        }
    }

    /** The file's size set: a longer file is cut, a shorter one grows a hole. */
    public static void setSize(Path file, long bytes) {
        int fd = Sys.open(file.toString(), Sys.O_WRONLY);
        try {
            Sys.check(Sys.LIBC.ftruncate(fd, bytes), "ftruncate(" + file + ", " + bytes + ")");
        } finally {
            Sys.close(fd);
        }
    }

    private static void copyRange(int in, int out, long offset, long length, Path to) {
        LongLongByReference inOffset = new LongLongByReference(offset), outOffset = new LongLongByReference(offset);
        long left = length;
        while (left > 0) {
            long n = Sys.LIBC.copy_file_range(in, inOffset, out, outOffset, Math.min(left, COPY_STEP), 0);
            if (n < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (n < 0 && CROSS_DEVICE.contains(Sys.RUNTIME.getLastError())) {
                // between file systems the kernel may not copy by itself: through a buffer of ours
                copyThroughBuffer(in, out, inOffset.longValue(), left, to);
                return;
            }
            Sys.checkLong(n, "copy_file_range(to " + to + ", at " + inOffset.longValue() + ")");
            if (n == 0) {
                throw new IllegalStateException("copy_file_range(to " + to + "): the source ended at " + inOffset.longValue()
                        + ", inside a data extent that reached " + (offset + length));
            }
            left -= n;
        }
    }

    private static void copyThroughBuffer(int in, int out, long offset, long length, Path to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        long done = 0;
        while (done < length) {
            long n = Sys.LIBC.pread(in, buffer, Math.min(buffer.length, length - done), offset + done);
            if (n < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (Sys.checkLong(n, "pread(for " + to + ", at " + (offset + done) + ")") == 0) {
                throw new IllegalStateException("the source of " + to + " ended at " + (offset + done) + ", inside a data extent");
            }
            long written = 0;
            while (written < n) {
                byte[] rest = written == 0 ? buffer : java.util.Arrays.copyOfRange(buffer, (int) written, (int) n);
                long w = Sys.LIBC.pwrite(out, rest, n - written, offset + done + written);
                if (w < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
                    continue;
                }
                written += Sys.checkLong(w, "pwrite(" + to + ", at " + (offset + done + written) + ")");
            }
            done += n;
        }
    }
}
