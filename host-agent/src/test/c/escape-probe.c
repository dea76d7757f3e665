/*
 * Escape probes, run as root inside a Corral virtual server by EscapeTest, and as a positive control
 * by host root without any of the server's protection (its own mount, UTS, IPC and network
 * namespaces, the host's PID namespace). Each probe tries one way out and prints one line:
 *   PROBE <name> <outcome>
 * where outcome is "ok" (the call worked), the errno name it failed with, or a word the probe
 * explains (masked, absent, visible, read-only, writable, reached, not-reached). The test expects a
 * precise outcome inside the server, and a different one from the control, which shows that the
 * server's outcome comes from its protection and not from the arguments.
 *
 * Usage: escape-probe probes DEVICE-NODE HOST-PID HOST-PATH IPC-KEY WORKDIR
 *        escape-probe make-queue KEY | has-queue KEY   (the other server's queue)
 *        escape-probe hold-inotify                      (makes inotify instances until refused, says how many, waits)
 *        escape-probe inotify-one                       (one instance: "ok" or the errno)
 *        escape-probe fill DIR                          (files of 64 KiB in DIR until refused)
 *        escape-probe wait                              (an init that waits, ends on a signal)
 *        escape-probe reboot                            (last: ends this server)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *error_name(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ENOSYS: return "ENOSYS";
    case ENOEXEC: return "ENOEXEC";
    case ESTALE: return "ESTALE";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    default: return strerror(e);
    }
}

static void say(const char *name, const char *outcome) {
    printf("PROBE %s %s\n", name, outcome);
    fflush(stdout);
}

static void report(const char *name, long result) {
    say(name, result < 0 ? error_name(errno) : "ok");
}

/* Opens for writing and closes again, writing nothing: the host's files are not touched in the control. */
static void open_for_writing(const char *name, const char *path) {
    int fd = open(path, O_WRONLY);
    report(name, fd);
    if (fd >= 0) {
        close(fd);
    }
}

/* masked: /dev/null or an empty tmpfs; absent: not there at all; visible: the real thing. */
static void masked(const char *path) {
    char name[128];
    snprintf(name, sizeof name, "masked:%s", path);
    struct stat st;
    if (stat(path, &st) != 0) {
        say(name, errno == ENOENT ? "absent" : error_name(errno));
        return;
    }
    struct statfs fs;
    if ((S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
            || (S_ISDIR(st.st_mode) && statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC && st.st_nlink == 2)) {
        say(name, "masked");
    } else {
        say(name, "visible");
    }
}

static void read_only(const char *path) {
    char name[128];
    snprintf(name, sizeof name, "read-only:%s", path);
    struct statvfs fs;
    if (statvfs(path, &fs) != 0) {
        say(name, errno == ENOENT ? "absent" : error_name(errno));
        return;
    }
    say(name, (fs.f_flag & ST_RDONLY) ? "read-only" : "writable");
}

static void on_signal(int signal) {
    (void) signal;
    _exit(0);
}

/* PID 1 of a server whose init chrooted away: waits, reaps, ends on any signal the agent sends. */
static void __attribute__((noreturn)) wait_as_init(void) {
    for (int s = 1; s < 32; s++) {
        if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD) {
            signal(s, on_signal);
        }
    }
    for (;;) {
        if (wait(NULL) < 0) {
            pause();
        }
    }
}

static int hold_inotify(void) {
    int made = 0;
    while (inotify_init1(IN_CLOEXEC) >= 0) {
        made++;
    }
    printf("made %d then %s\n", made, error_name(errno));
    fflush(stdout);
    pause();
    return 0;
}

static int fill(const char *dir) {
    static char block[65536];
    long files = 0;
    for (;; files++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fill-%ld", dir, files);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || write(fd, block, sizeof block) != (ssize_t) sizeof block) {
            printf("files %ld then %s\n", files, error_name(errno));
            return 0;
        }
        close(fd);
    }
}

/* getpid through the x32 system call table, in a child: "killed" if a signal ended it, else its outcome. */
static void x32_call(void) {
    pid_t child = fork();
    if (child == 0) {
        _exit(syscall(0x40000000 | SYS_getpid) < 0 ? errno : 0);
    }
    int status;
    waitpid(child, &status, 0);
    say("x32-call", WIFSIGNALED(status) ? "killed" : WEXITSTATUS(status) == 0 ? "ok" : error_name(WEXITSTATUS(status)));
}

static int probes(const char *device, pid_t host_pid, const char *host_path, key_t other_key, const char *work) {
    char path[4096], node[4096];
    snprintf(node, sizeof node, "%s/node", work);

    /* devices: a host disk's node that came with the files, new nodes, the host's device file system */
    report("open-host-disk", open(device, O_RDONLY));
    report("mount-host-disk", mount(device, work, "ext4", MS_RDONLY, NULL));
    if (umount2(work, MNT_DETACH) == 0) { /* only in the control */ }
    report("mount-devtmpfs", mount("devtmpfs", work, "devtmpfs", 0, NULL));
    umount2(work, MNT_DETACH);
    report("mknod-block-device", mknod(node, S_IFBLK | 0600, makedev(8, 240)));
    unlink(node);
    report("mknod-mem", mknod(node, S_IFCHR | 0600, makedev(1, 1)));
    unlink(node);

    /* the kernel itself: modules, a new kernel (bad arguments, so the control changes nothing) */
    report("init_module", syscall(SYS_init_module, "", 0, ""));
    int null = open("/dev/null", O_RDONLY);
    report("finit_module", syscall(SYS_finit_module, null, "", 0));
    report("delete_module", syscall(SYS_delete_module, "corral_no_such_module", O_NONBLOCK));
    report("kexec_load", syscall(SYS_kexec_load, 0, KEXEC_SEGMENT_MAX + 1, NULL, KEXEC_ARCH_DEFAULT));
    report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", KEXEC_FILE_NO_INITRAMFS));

    /* the host's settings and triggers in /proc, a fresh /proc, the host's memory image */
    open_for_writing("write-core_pattern", "/proc/sys/kernel/core_pattern");
    open_for_writing("write-drop_caches", "/proc/sys/vm/drop_caches");
    open_for_writing("write-sysrq-trigger", "/proc/sysrq-trigger");
    report("remount-proc-sys-rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
    report("mount-proc", mount("proc", work, "proc", 0, NULL));
    umount2(work, MNT_DETACH);
    const char *hidden[] = {"/proc/kcore", "/proc/acpi", "/proc/asound", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/kmsg", "/proc/kallsyms",
            "/proc/config.gz", "/sys/firmware", "/sys/devices/virtual/powercap"};
    for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++) {
        masked(hidden[i]);
    }
    const char *protected[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/sys"};
    for (size_t i = 0; i < sizeof protected / sizeof *protected; i++) {
        read_only(protected[i]);
    }

    /* the host's clock (invalid times: the control's kernel refuses them for their value, not its rights) */
    struct timespec bad = {0, 2000000000L};
    report("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, &bad)); /* not glibc's: it checks the value itself */
    struct timeval bad_tv = {0, 2000000L};
    report("settimeofday", syscall(SYS_settimeofday, &bad_tv, NULL));

    /* cgroups: their file systems, and their files through /sys */
    report("mount-cgroup", mount("cgroup", work, "cgroup", 0, "pids"));
    umount2(work, MNT_DETACH);
    report("mount-cgroup2", mount("cgroup2", work, "cgroup2", 0, NULL));
    umount2(work, MNT_DETACH);
    int procs = open("/sys/fs/cgroup/pids/cgroup.procs", O_WRONLY);
    if (procs < 0 && errno == ENOENT) {
        procs = open("/sys/fs/cgroup/cgroup.procs", O_WRONLY);
    }
    report("write-cgroup-procs", procs);

    /* the host's processes */
    report("kill-host-process", kill(host_pid, 0));
    long traced = ptrace(PTRACE_ATTACH, host_pid, NULL, NULL);
    report("ptrace-host-process", traced);
    if (traced == 0) {
        waitpid(host_pid, NULL, __WALL);
        ptrace(PTRACE_DETACH, host_pid, NULL, NULL);
    }
    snprintf(path, sizeof path, "/proc/%d/environ", host_pid);
    report("read-host-process", open(path, O_RDONLY));

    /* the host's files: by handle, by the classic chroot escape, by path */
    struct { unsigned int bytes; int type; unsigned char f[128]; } handle = {8, 1, {2, 0, 0, 0, 0, 0, 0, 0}};
    int root = open("/", O_RDONLY | O_DIRECTORY);
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, root, &handle, O_RDONLY));
    int mount_id;
    handle.bytes = 128;
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &handle, &mount_id, 0));
    pid_t child = fork();
    if (child == 0) {
        snprintf(path, sizeof path, "%s/jail", work);
        mkdir(path, 0700);
        int top = open("/", O_RDONLY);
        if (chroot(path) == 0 && fchdir(top) == 0) {
            for (int i = 0; i < 64; i++) {
                if (chdir("..") != 0) {
                    break;
                }
            }
            if (chroot(".") != 0) {
                _exit(2);
            }
        }
        _exit(access(host_path, F_OK) == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    say("chroot-escape", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "reached" : "not-reached");
    report("see-host-path", access(host_path, F_OK));
    report("msgget-other-server", msgget(other_key, 0));

    /* calls a server has no use for, which the kernel does not confine */
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.size = sizeof pe;
    pe.type = PERF_TYPE_SOFTWARE;
    pe.config = PERF_COUNT_SW_CPU_CLOCK;
    report("perf_event_open", syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0));
    snprintf(path, sizeof path, "%s/no-swap-here", work);
    report("swapoff", swapoff(path));
    report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -4 /* user keyring */, 0));
    char log[64];
    report("syslog", syscall(SYS_syslog, 3 /* read all */, log, sizeof log));
    report("iopl", syscall(SYS_iopl, 3));
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, &params));
    report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
    report("setns", syscall(SYS_setns, root, 0));
    x32_call();
    report("newer-call", syscall(452 /* fchmodat2, Linux 6.6 */, AT_FDCWD, "/corral-no-such-file", 0755, 0));
    /* last: it changes this process */
    report("unshare-user-namespace", unshare(CLONE_NEWUSER));
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "reboot") == 0) {
        sync();
        report("reboot", reboot(RB_AUTOBOOT));
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "wait") == 0) {
        wait_as_init();
    }
    if (argc == 2 && strcmp(argv[1], "hold-inotify") == 0) {
        return hold_inotify();
    }
    if (argc == 2 && strcmp(argv[1], "inotify-one") == 0) {
        report("inotify-one", inotify_init1(IN_CLOEXEC));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "fill") == 0) {
        return fill(argv[2]);
    }
    if (argc == 3 && strcmp(argv[1], "make-queue") == 0) {
        return msgget((key_t) strtol(argv[2], NULL, 0), IPC_CREAT | 0600) < 0;
    }
    if (argc == 3 && strcmp(argv[1], "has-queue") == 0) {
        return msgget((key_t) strtol(argv[2], NULL, 0), 0) < 0;
    }
    if (argc == 7 && strcmp(argv[1], "probes") == 0) {
        return probes(argv[2], atoi(argv[3]), argv[4], (key_t) strtol(argv[5], NULL, 0), argv[6]);
    }
    fprintf(stderr, "usage: escape-probe probes DEVICE-NODE HOST-PID HOST-PATH IPC-KEY WORKDIR | make-queue KEY | "
                    "has-queue KEY | hold-inotify | inotify-one | fill DIR | wait | reboot\n");
    return 2;
}
