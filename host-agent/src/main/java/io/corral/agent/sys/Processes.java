package io.corral.agent.sys;

import jnr.ffi.byref.IntByReference;

/** Signals, waiting and pidfds: the agent's hold on the processes it starts and adopts. */
public final class Processes {
    public static final int SIGKILL = 9, SIGTERM = 15;
    private static final int WNOHANG = 1;
    private static final long SYS_PIDFD_OPEN = 434; // x86_64

    private Processes() {
    }

    /** Sends a signal; returns false if the process no longer exists. */
    public static boolean kill(int pid, int signal) {
        if (Sys.LIBC.kill(pid, signal) == 0) {
            return true;
        }
        int errno = Sys.RUNTIME.getLastError();
        if (errno == Errno.ESRCH) {
            return false;
        }
        throw new SysCallException("kill(" + pid + ", " + signal + ")", errno);
    }

    /** Collects the exit status of a child of this process if it has ended; harmless for non-children. */
    public static void reap(int pid) {
        Sys.LIBC.waitpid(pid, new IntByReference(), WNOHANG);
    }

    /**
     * Makes the agent the reaper of its orphaned descendants: a server's init whose parent, the user
     * namespace helper, has ended becomes the agent's child, so the agent collects it when it ends
     * instead of leaving that to whatever the host's PID 1 does.
     */
    public static void becomeSubreaper() {
        final int prSetChildSubreaper = 36;
        Sys.prctl(prSetChildSubreaper, 1, "PR_SET_CHILD_SUBREAPER");
    }

    /**
     * Waits for a child of the agent that is about to end (a helper that has done its part); returns its
     * exit code as a shell gives it (128 + the signal that ended it), -1 if it was no child of ours.
     */
    public static int awaitExit(int pid) {
        IntByReference status = new IntByReference();
        while (Sys.LIBC.waitpid(pid, status, 0) < 0) {
            if (Sys.RUNTIME.getLastError() != Errno.EINTR) {
                return -1;
            }
        }
        int s = status.intValue();
        return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
    }

    /** A descriptor that becomes readable when the process ends (pidfd_open). */
    public static int pidfd(int pid) {
        return (int) Sys.checkLong(Sys.LIBC.syscall(SYS_PIDFD_OPEN, pid, 0), "pidfd_open(" + pid + ")");
    }
}
