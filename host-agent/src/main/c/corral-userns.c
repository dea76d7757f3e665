/*
 * corral-userns: the steps into a server's user namespace that the agent cannot take itself. A
 * process enters or makes a user namespace only while it has a single thread, and the agent is a
 * JVM; this helper is small, static and single-threaded (runc's nsexec is the same idea for Go).
 *
 *   corral-userns boot PROG ARGS...
 *     Makes a user namespace with mount, PID, network and cgroup namespaces owned by it (so root
 *     inside may reboot its server and bind low ports there, and sees its own cgroups as the root of
 *     the tree), says "user" on stdout and
 *     waits for a line on stdin while the agent writes the uid and gid maps, becomes root of the
 *     mapped range, forks the server's PID 1 (which execs PROG) and says "pid <host pid>" before it
 *     exits.
 *
 *   corral-userns confine KEPT FILTER PROG ARGS...
 *     Joins the cgroup namespace of the server's PID 1 (/proc/1, its own at boot; an exec'd command
 *     enters it here, as busybox's nsenter cannot). Entering a user namespace gives back every
 *     capability inside it, so this then installs the seccomp
 *     filter FILTER (the classic BPF program as hex, struct sock_filter in memory order), narrows
 *     the bounding set to the capabilities in the hex mask KEPT, closes every descriptor above
 *     stderr and execs PROG.
 *
 * The agent builds the filter and the capability list (containment package); this file holds no policy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void fail(const char *what) {
    fprintf(stderr, "corral-userns: %s: %s\n", what, strerror(errno));
    exit(125);
}

static int boot(char **prog) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0) {
        fail("unshare(user, mount, pid, net, cgroup)");
    }
    if (write(STDOUT_FILENO, "user\n", 5) != 5) {
        fail("write to the agent");
    }
    char c = 0;
    while (c != '\n') {
        if (read(STDIN_FILENO, &c, 1) != 1) {
            errno = EPIPE;
            fail("the agent did not map the user namespace");
        }
    }
    if (setgroups(0, NULL) != 0 || setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
        fail("become root of the mapped range");
    }
    pid_t pid = fork();
    if (pid < 0) {
        fail("fork");
    }
    if (pid > 0) {
        dprintf(STDOUT_FILENO, "pid %d\n", pid);
        _exit(0);
    }
    execv(prog[0], prog);
    fail(prog[0]);
    return 125;
}

static int confine(const char *kept, const char *filter, char **prog) {
    int cgroups = open("/proc/1/ns/cgroup", O_RDONLY | O_CLOEXEC);
    if (cgroups < 0 || setns(cgroups, CLONE_NEWCGROUP) != 0) {
        fail("enter the server's cgroup namespace");
    }
    close(cgroups);
    size_t hex = strlen(filter);
    if (hex == 0 || hex % (2 * sizeof(struct sock_filter)) != 0) {
        errno = EINVAL;
        fail("filter");
    }
    unsigned short length = hex / (2 * sizeof(struct sock_filter));
    struct sock_filter program[length];
    unsigned char *bytes = (unsigned char *) program;
    for (size_t i = 0; i < hex / 2; i++) {
        unsigned int byte;
        if (sscanf(filter + 2 * i, "%2x", &byte) != 1) {
            errno = EINVAL;
            fail("filter");
        }
        bytes[i] = byte;
    }
    struct sock_fprog fprog = {.len = length, .filter = program};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
        fail("install the seccomp filter");
    }
    unsigned long long keep = strtoull(kept, NULL, 16);
    for (int cap = 0; cap < 64; cap++) {
        if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno == EINVAL) {
                break; /* past the last capability this kernel knows */
            }
            fail("drop a capability from the bounding set");
        }
    }
    if (close_range(3, ~0U, 0) != 0) {
        fail("close descriptors");
    }
    execv(prog[0], prog);
    fail(prog[0]);
    return 125;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "boot") == 0) {
        return boot(argv + 2);
    }
    if (argc >= 5 && strcmp(argv[1], "confine") == 0) {
        return confine(argv[2], argv[3], argv + 4);
    }
    fprintf(stderr, "usage: corral-userns boot PROG ARGS... | confine KEPT FILTER PROG ARGS...\n");
    return 2;
}
