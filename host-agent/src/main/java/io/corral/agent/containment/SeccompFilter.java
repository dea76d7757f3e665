package io.corral.agent.containment;

import io.corral.agent.sys.Sys;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The system calls a server may make: an allow-list, at least as strict as Docker's default profile
 * (host-agent/README.md lists where it differs and why), compiled by libseccomp, which resolves the
 * names for this architecture. A call of the kernel this policy was written for (Linux 6.1, the
 * last number {@link #LAST_REVIEWED}) that it does not allow answers EPERM; any newer number answers
 * ENOSYS, whatever the host's libseccomp knows, so the C library falls back to an older call (glibc
 * 2.39 tries fchmodat2 first); clone3, whose flags a filter cannot read, answers ENOSYS for the same
 * reason. Any other architecture's calls (32-bit x86, x32) kill the process.
 */
public final class SeccompFilter {
    /** Allowed whatever the arguments: Docker's default list for a server's kept capabilities. */
    static final Set<String> ALLOWED = new TreeSet<>(List.of(
            "accept", "accept4", "access", "adjtimex", "alarm", "arch_prctl", "bind", "brk", "capget", "capset", "chdir",
            "chmod", "chown", "chroot", "clock_adjtime", "clock_getres", "clock_gettime", "clock_nanosleep", "close",
            "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
            "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd",
            "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fallocate",
            "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr",
            "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate",
            "futex", "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid",
            "getgid", "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
            "getrandom", "getresgid", "getresuid", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname",
            "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getxattr", "inotify_add_watch",
            "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
            "io_pgetevents", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "kill", "landlock_add_rule",
            "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lgetxattr", "link", "linkat", "listen",
            "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise", "membarrier",
            "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2",
            "mlockall", "mmap", "modify_ldt", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
            "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
            "munlockall", "munmap", "nanosleep", "newfstatat", "open", "openat", "openat2", "pause", "pidfd_open",
            "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "prctl",
            "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "process_vm_readv", "process_vm_writev",
            "pselect6", "ptrace", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat",
            "readv", "reboot", "recvfrom", "recvmmsg", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat",
            "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
            "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo",
            "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
            "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr", "sched_setparam",
            "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop",
            "sendfile", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsuid", "setgid", "setgroups", "setitimer",
            "setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid", "setrlimit", "set_robust_list",
            "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setxattr", "shmat", "shmctl",
            "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "socketpair", "splice", "stat",
            "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill",
            "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime",
            "timerfd_create", "timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate", "umask", "uname",
            "unlink", "unlinkat", "utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "write",
            "writev"));
    /** clone(2) with any of these flags makes namespaces: refused, as a new user namespace would give back every capability. */
    private static final long NAMESPACE_FLAGS = 0x7E020000L;
    /** personality(2) values that only choose an execution domain (Linux, with or without address randomisation). */
    private static final long[] PERSONALITIES = {0x0, 0x8, 0x20000, 0x20008, 0xffffffffL};
    private static final long AF_VSOCK = 40;
    /** The last x86_64 system call of Linux 6.1 (set_mempolicy_home_node): the policy was reviewed up to it. */
    static final int LAST_REVIEWED = 450;
    private static final int EPERM = 1, ENOSYS = 38, HIGHEST_SYSCALL = 1023;
    private static volatile String hex;

    private SeccompFilter() {
    }

    /** The compiled program as the helper takes it: struct sock_filter in memory order, in hex; compiled once. */
    public static String hex() {
        if (hex == null) {
            hex = HexFormat.of().formatHex(compile());
        }
        return hex;
    }

    static byte[] compile() {
        Libseccomp lib = Libseccomp.LIB;
        Pointer context = lib.seccomp_init(Libseccomp.errno(EPERM));
        if (context == null) {
            throw new IllegalStateException("seccomp_init failed");
        }
        try {
            check(lib.seccomp_attr_set(context, Libseccomp.ATTR_ACT_BADARCH, Libseccomp.ACT_KILL_PROCESS), "badarch action");
            check(lib.seccomp_attr_set(context, Libseccomp.ATTR_CTL_NNP, 0), "no_new_privs off");
            check(lib.seccomp_attr_set(context, Libseccomp.ATTR_CTL_OPTIMIZE, 2), "binary tree");
            int arch = lib.seccomp_arch_native();
            for (int nr = 0; nr <= HIGHEST_SYSCALL; nr++) {
                Pointer name = lib.seccomp_syscall_resolve_num_arch(arch, nr);
                if (name == null || nr > LAST_REVIEWED) {
                    rule(context, Libseccomp.errno(ENOSYS), nr);
                }
                if (name != null) {
                    Sys.free(name);
                }
            }
            for (String name : ALLOWED) {
                int nr = lib.seccomp_syscall_resolve_name(name);
                if (nr != Libseccomp.UNKNOWN && nr <= LAST_REVIEWED) {
                    rule(context, Libseccomp.ACT_ALLOW, nr);
                }
            }
            rule(context, Libseccomp.ACT_ALLOW, number("clone"), comparison(0, Libseccomp.CMP_MASKED_EQ, NAMESPACE_FLAGS, 0));
            rule(context, Libseccomp.errno(ENOSYS), number("clone3"));
            rule(context, Libseccomp.ACT_ALLOW, number("socket"), comparison(0, Libseccomp.CMP_NE, AF_VSOCK, 0));
            for (long persona : PERSONALITIES) {
                rule(context, Libseccomp.ACT_ALLOW, number("personality"), comparison(0, Libseccomp.CMP_EQ, persona, 0));
            }
            return export(context);
        } finally {
            lib.seccomp_release(context);
        }
    }

    private static int number(String name) {
        int nr = Libseccomp.LIB.seccomp_syscall_resolve_name(name);
        if (nr == Libseccomp.UNKNOWN) {
            throw new IllegalStateException("libseccomp does not know " + name + " on this architecture");
        }
        return nr;
    }

    private static Pointer comparison(int argument, int op, long a, long b) {
        Pointer cmp = Memory.allocateDirect(Sys.runtime(), Libseccomp.ARG_CMP_SIZE, true);
        cmp.putInt(0, argument);
        cmp.putInt(4, op);
        cmp.putLong(8, a);
        cmp.putLong(16, b);
        return cmp;
    }

    private static void rule(Pointer context, int action, int nr) {
        check(Libseccomp.LIB.seccomp_rule_add_array(context, action, nr, 0, null), "rule for system call " + nr);
    }

    private static void rule(Pointer context, int action, int nr, Pointer comparison) {
        check(Libseccomp.LIB.seccomp_rule_add_array(context, action, nr, 1, comparison), "rule for system call " + nr);
    }

    /** libseccomp writes the program to a descriptor: a memory file, read back whole. */
    private static byte[] export(Pointer context) {
        int fd = Sys.memfd("seccomp");
        try {
            check(Libseccomp.LIB.seccomp_export_bpf(context, fd), "seccomp_export_bpf");
            return Sys.readWhole(fd);
        } finally {
            Sys.close(fd);
        }
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("libseccomp: " + what + ": errno " + -result);
        }
    }
}
