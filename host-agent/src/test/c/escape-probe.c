/*
 * Escape probes, run as root inside a Corral virtual server by EscapeTest. Each probe tries one way
 * out of the server and prints one line:
 *   PROBE <name> refused: <how>      the attempt failed the way containment should make it fail
 *   PROBE <name> ESCAPED: <what>     the attempt worked: a hole
 * Usage: escape-probe <a host disk's major> <minor> <a host pid> <host-only path> <IPC key of another server>
 *        escape-probe make-queue KEY  (in the other server: the queue the first form must not reach)
 *        escape-probe reboot          (last: ends this server)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static void report(const char *name, long result, const char *what) {
    if (result < 0) {
        printf("PROBE %s refused: %s\n", name, strerror(errno));
    } else {
        printf("PROBE %s ESCAPED: %s\n", name, what);
    }
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "reboot") == 0) {
        sync();
        report("reboot", reboot(RB_AUTOBOOT), "reboot returned; the host would be going down");
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "make-queue") == 0) {
        return msgget((key_t) strtol(argv[2], NULL, 0), IPC_CREAT | 0600) < 0;
    }
    if (argc != 6) {
        fprintf(stderr, "usage: escape-probe major minor host-pid host-path ipc-key | reboot\n");
        return 2;
    }
    dev_t host_disk = makedev(atoi(argv[1]), atoi(argv[2]));
    pid_t host_pid = atoi(argv[3]);
    const char *host_path = argv[4];
    key_t other_key = (key_t) strtol(argv[5], NULL, 0);

    mkdir("/tmp/probe", 0700);
    report("mknod-host-disk", mknod("/tmp/probe/disk", S_IFBLK | 0600, host_disk), "made a node for the host's disk");
    report("open-host-disk", open("/tmp/probe/disk", O_RDONLY), "opened the host's disk");
    report("mount-host-disk", mount("/tmp/probe/disk", "/tmp/probe", "ext4", MS_RDONLY, NULL), "mounted the host's disk");
    report("mount-devtmpfs", mount("devtmpfs", "/tmp/probe", "devtmpfs", 0, NULL), "mounted every host device");
    report("mknod-block-device", mknod("/tmp/probe/sdz", S_IFBLK | 0600, makedev(8, 240)), "made a block device node");
    report("mknod-mem", mknod("/tmp/probe/mem", S_IFCHR | 0600, makedev(1, 1)), "made /dev/mem");

    report("init_module", syscall(SYS_init_module, "", 0, ""), "loaded a kernel module");
    report("finit_module", syscall(SYS_finit_module, 0, "", 0), "loaded a kernel module");
    report("delete_module", syscall(SYS_delete_module, "ext4", O_NONBLOCK), "removed a kernel module");
    report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, KEXEC_ARCH_DEFAULT), "loaded a new kernel");
    report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", KEXEC_FILE_NO_INITRAMFS), "loaded a new kernel");

    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    report("write-drop_caches", fd < 0 ? -1 : write(fd, "3", 1), "dropped the host's caches");
    struct stat st;
    fd = open("/proc/sysrq-trigger", O_WRONLY);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) {
        printf("PROBE write-sysrq-trigger refused: masked (it is /dev/null inside)\n");
    } else {
        report("write-sysrq-trigger", fd < 0 ? -1 : 0, "opened the host's sysrq trigger");
    }
    fd = open("/proc/kcore", O_RDONLY);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) {
        printf("PROBE read-kcore refused: masked (it is /dev/null inside)\n");
    } else {
        report("read-kcore", fd < 0 ? -1 : 0, "opened the host's memory image");
    }
    report("remount-proc-sys-rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL), "made /proc/sys writable");

    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    report("clock_settime", clock_settime(CLOCK_REALTIME, &now), "set the host's clock");
    struct timeval tv = {now.tv_sec, 0};
    report("settimeofday", settimeofday(&tv, NULL), "set the host's clock");

    report("mount-cgroup", mount("cgroup", "/tmp/probe", "cgroup", 0, "pids"), "mounted the cgroup tree (could raise its limits)");
    report("mount-cgroup2", mount("cgroup2", "/tmp/probe", "cgroup2", 0, NULL), "mounted the cgroup tree (could raise its limits)");
    report("write-cgroup-procs", open("/sys/fs/cgroup/pids/cgroup.procs", O_WRONLY), "opened a cgroup.procs to move itself");
    report("write-memory-limit", open("/sys/fs/cgroup/memory/memory.limit_in_bytes", O_WRONLY), "opened a memory limit");

    report("kill-host-process", kill(host_pid, 0), "reached a host process with a signal");
    report("ptrace-host-process", ptrace(PTRACE_ATTACH, host_pid, NULL, NULL), "attached to a host process");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", host_pid);
    report("read-host-process", open(path, O_RDONLY), "read a host process's environment");

    struct { unsigned int bytes; int type; unsigned char f[128]; } handle = {8, 1, {2, 0, 0, 0, 0, 0, 0, 0}};
    int root = open("/", O_RDONLY | O_DIRECTORY);
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, root, &handle, O_RDONLY), "opened the host's root by its handle");
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &handle, &root, 0), "took a file handle");

    /* the classic chroot escape: chroot into a subdirectory, climb out with .., chroot there */
    int escaped = 0;
    if (mkdir("/tmp/probe/jail", 0700) == 0 || errno == EEXIST) {
        int top = open("/", O_RDONLY);
        if (chroot("/tmp/probe/jail") == 0) {
            fchdir(top);
            for (int i = 0; i < 64; i++) chdir("..");
            chroot(".");
            escaped = access(host_path, F_OK) == 0;
        }
    }
    if (escaped) {
        report("chroot-escape", 0, host_path);
    } else {
        printf("PROBE chroot-escape refused: %s is not reachable from any root of the server\n", host_path);
    }
    report("see-host-path", access(host_path, F_OK), "saw a host file");

    report("msgget-other-server", msgget(other_key, 0), "opened another server's message queue");

    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr), "made a BPF object");
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.size = sizeof pe;
    pe.type = PERF_TYPE_SOFTWARE;
    pe.config = PERF_COUNT_SW_CPU_CLOCK;
    report("perf_event_open", syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0), "watched every process of the host");
    report("unshare-user-namespace", unshare(CLONE_NEWUSER), "made a user namespace (full capabilities inside it)");
    report("swapoff", swapoff("/tmp/probe/none"), "switched the host's swap");
    report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -4 /* user keyring */, 0), "reached the kernel keyring");
    report("syslog", syscall(SYS_syslog, 3 /* read all */, path, sizeof path), "read the host's kernel log");
    report("iopl", syscall(SYS_iopl, 3), "raw I/O ports");
    sethostname("renamed-by-probe", 16); /* allowed: its own UTS namespace; the test checks the host's name */
    return 0;
}
