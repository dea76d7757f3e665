/* What holds a server's processes in: its cgroups, the bounding set and the seccomp filter. */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

void fail(const char *fmt, ...) {
    int error = errno;
    char what[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    dprintf(STDERR_FILENO, "corral-enter: %s: %s\n", what, strerror(error));
    _exit(125);
}

void open_cgroups(const struct plan *plan, int *fds) {
    for (int i = 0; i < plan->njoins; i++) {
        fds[i] = open(plan->joins[i], O_WRONLY | O_CLOEXEC);
        if (fds[i] < 0) {
            fail("open cgroup file %s", plan->joins[i]);
        }
    }
}

void join_cgroups(const struct plan *plan, const int *fds) {
    for (int i = 0; i < plan->njoins; i++) {
        if (write(fds[i], "0", 1) != 1) {
            fail("join cgroup %s", plan->joins[i]);
        }
        close(fds[i]);
    }
}

static void narrow_capabilities(unsigned long long kept) {
    for (int cap = 0; cap < 64; cap++) {
        if (!(kept & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno == EINVAL) {
                break; /* past the last capability this kernel knows */
            }
            fail("drop capability %d from the bounding set", cap);
        }
    }
    /* execve gives root the bounding set; inheritable and ambient capabilities could add to it */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
        fail("clear the ambient capabilities");
    }
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) {
        fail("capget");
    }
    data[0].inheritable = data[1].inheritable = 0;
    if (syscall(SYS_capset, &header, data) != 0) {
        fail("clear the inheritable capabilities");
    }
}

static void install_filter(const char *hex) {
    size_t length = strlen(hex);
    if (length == 0 || length % (2 * sizeof(struct sock_filter)) != 0 || length / 2 / sizeof(struct sock_filter) > BPF_MAXINSNS) {
        errno = EINVAL;
        fail("seccomp filter of %zu hex digits", length);
    }
    unsigned short count = length / (2 * sizeof(struct sock_filter));
    struct sock_filter *program = calloc(count, sizeof *program);
    unsigned char *bytes = (unsigned char *) program;
    for (size_t i = 0; i < length / 2; i++) {
        unsigned int byte;
        if (program == NULL || sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            errno = EINVAL;
            fail("seccomp filter");
        }
        bytes[i] = byte;
    }
    struct sock_fprog fprog = {.len = count, .filter = program};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
        fail("install the seccomp filter");
    }
    free(program);
}

void confine(const struct plan *plan) {
    narrow_capabilities(plan->kept);
    install_filter(plan->filter);
}
