package io.corral.agent.sys;

/** Pipes and reading what comes through them: the agent's end of the talk with the processes it starts. */
public final class Pipes {
    private Pipes() {
    }

    /** A pipe whose two ends close on exec: {read end, write end}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        Sys.check(Sys.LIBC.pipe2(fds, Sys.O_CLOEXEC), "pipe2");
        return fds;
    }

    /** Reads until end of file. */
    public static String readAll(int fd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long n = Sys.LIBC.read(fd, buffer, buffer.length);
            if (n < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                return out.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            out.write(buffer, 0, (int) n);
        }
    }

    /** Reads one line (without its newline), or what came before end of file. */
    public static String readLine(int fd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (true) {
            long n = Sys.LIBC.read(fd, one, 1);
            if (n < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            if (n <= 0 || one[0] == '\n') {
                return out.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            out.write(one[0]);
        }
    }

    public static void writeLine(int fd, String line) {
        byte[] bytes = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (Sys.LIBC.write(fd, bytes, bytes.length) != bytes.length) {
            throw new SysCallException("write", Sys.RUNTIME.getLastError());
        }
    }

    /** Writes the first length bytes, however many writes that takes; EPIPE when the reader has gone. */
    public static void writeAll(int fd, byte[] bytes, int length) {
        byte[] left = bytes;
        int remaining = length;
        while (remaining > 0) {
            long n = Sys.LIBC.write(fd, left, remaining);
            if (n < 0) {
                int errno = Sys.RUNTIME.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new SysCallException("write", errno);
            }
            left = java.util.Arrays.copyOfRange(left, (int) n, remaining);
            remaining -= (int) n;
        }
    }

    /** Reads what is there now (at most buffer's length); 0 at end of file, -1 when nothing waits (EAGAIN) or on EINTR. */
    public static int readSome(int fd, byte[] buffer) {
        long n = Sys.LIBC.read(fd, buffer, buffer.length);
        if (n < 0) {
            int errno = Sys.RUNTIME.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return -1;
            }
            throw new SysCallException("read", errno);
        }
        return (int) n;
    }

    /** poll(2) on descriptors for input; returns which of them are readable or hung up (none when the time ran out). */
    public static boolean[] pollReadable(int[] fds, long timeoutMillis) {
        final short pollIn = 1, pollHup = 0x10, pollErr = 8;
        jnr.ffi.Pointer array = jnr.ffi.Memory.allocateDirect(Sys.RUNTIME, 8L * fds.length, true);
        for (int i = 0; i < fds.length; i++) {
            array.putInt(8L * i, fds[i]);
            array.putShort(8L * i + 4, pollIn);
        }
        int ready = Sys.LIBC.poll(array, fds.length, (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeoutMillis)));
        boolean[] readable = new boolean[fds.length];
        if (ready < 0 && Sys.RUNTIME.getLastError() == Errno.EINTR) {
            return readable;
        }
        Sys.check(ready, "poll");
        for (int i = 0; i < fds.length; i++) {
            readable[i] = (array.getShort(8L * i + 6) & (pollIn | pollHup | pollErr)) != 0;
        }
        return readable;
    }
}
