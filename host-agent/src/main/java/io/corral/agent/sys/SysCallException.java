package io.corral.agent.sys;

/** A failed system call, named with the arguments that matter and its errno: "mount(overlay, /x): EINVAL". */
public final class SysCallException extends RuntimeException {
    private final int errno;

    public SysCallException(String call, int errno) {
        super(call + ": " + Errno.name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
