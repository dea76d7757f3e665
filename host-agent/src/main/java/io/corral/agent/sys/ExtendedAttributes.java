package io.corral.agent.sys;

import java.util.Arrays;
import java.util.Optional;

/** A file's extended attributes, read and written without following a last symbolic link. */
public final class ExtendedAttributes {
    private ExtendedAttributes() {
    }

    /** The attribute's value, or empty if the file has none of that name: its size asked first, as most files have none. */
    public static Optional<byte[]> get(String path, String name) {
        for (;;) {
            long size = Sys.LIBC.lgetxattr(path, name, null, 0);
            if (size < 0) {
                return absent(path, name);
            }
            byte[] value = new byte[(int) size];
            long n = Sys.LIBC.lgetxattr(path, name, value, size);
            if (n >= 0) {
                return Optional.of(Arrays.copyOf(value, (int) n));
            }
            if (Sys.RUNTIME.getLastError() != Errno.ERANGE) {
                return absent(path, name);
            }
            // it grew between the two calls: ask again
        }
    }

    private static Optional<byte[]> absent(String path, String name) {
        int errno = Sys.RUNTIME.getLastError();
        if (errno == Errno.ENODATA) {
            return Optional.empty();
        }
        throw new SysCallException("lgetxattr(" + path + ", " + name + ")", errno);
    }

    public static void set(String path, String name, byte[] value) {
        Sys.check(Sys.LIBC.lsetxattr(path, name, value, value.length, 0), "lsetxattr(" + path + ", " + name + ")");
    }
}
