/*
 * Exec: runs a command inside a running server, held in as its init is. The server's namespaces are
 * entered through a pidfd of its init, opened and checked (its start time) on the host, so a pid
 * reused meanwhile is refused; entering the mount namespace puts this process at that namespace's
 * root, which the customer cannot move, never at a path or at the root its init may have chrooted
 * into. Nothing is looked up or run in the server before the command itself, which the kernel
 * finds on the server's PATH once this process is confined.
 *
 *  1. opens the server's cgroup files, on the host;
 *  2. enters its namespaces (with -u its user and cgroup namespaces too, becoming root of its range);
 *  3. forks, as entering a PID namespace counts for children only: the child, in a process group of
 *     its own, joins the server's cgroups through the open files, confines itself and execs the
 *     command; this process stays in the agent's cgroup (out of reach of the server's OOM killer and
 *     of its process list), waits and exits with the command's status (128 + the signal that ended
 *     it). At the exec's timeout the agent sends this process SIGTERM, and it kills the command's
 *     process group and collects the command: so the command is never orphaned to the agent, and
 *     what it started ends with it unless it left the group. Should this process die anyway, the
 *     kernel kills the command (parent-death signal).
 *  With -T the child makes a session of its own instead of a group, and the command runs on a
 *  pseudo-terminal of the server's that this process relays (terminal.c).
 */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The process's start time in clock ticks (field 22 of /proc/PID/stat), read on the host. */
static unsigned long long start_time(pid_t pid) {
    char path[64], stat[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, stat, sizeof stat - 1);
    if (n <= 0) {
        fail("read %s", path);
    }
    close(fd);
    stat[n] = '\0';
    /* the command name may hold spaces and parentheses: count fields after its closing one */
    char *field = strrchr(stat, ')');
    for (int i = 0; field != NULL && i < 20; i++) {
        field = strchr(field + 1, ' ');
    }
    if (field == NULL) {
        errno = EINVAL;
        fail("parse %s", path);
    }
    return strtoull(field + 1, NULL, 10);
}

static volatile pid_t command;

static void end_command(int signal) {
    (void) signal;
    if (command > 0) {
        kill(-command, SIGKILL);
        kill(command, SIGKILL); /* if the timeout came before the group was made */
    }
}

void enter_namespaces(const struct plan *plan) {
    int init = syscall(SYS_pidfd_open, plan->init, 0);
    if (init < 0) {
        fail("the server's init %d", plan->init);
    }
    if (start_time(plan->init) != plan->init_start) {
        errno = ESRCH;
        fail("the server's init %d has ended", plan->init);
    }
    int namespaces = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID;
    if (plan->own_users) {
        namespaces |= CLONE_NEWUSER | CLONE_NEWCGROUP;
    }
    if (setns(init, namespaces) != 0) {
        fail("enter the namespaces of the server's init %d", plan->init);
    }
    close(init);
    if (plan->own_users && (setgroups(0, NULL) != 0 || setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)) {
        fail("become root of the server's range");
    }
}

/*
 * Credentials: root's authorized_keys (and password hash) written from inside the running server, as
 * its root, confined as its processes are, beneath the root of its mount namespace (where entering it
 * put this process) with no link followed. Nothing of the host is reachable from there at all; the
 * rules of credentials.c keep a customer's link from turning the write elsewhere in its own files.
 */
int credentials(const struct plan *plan) {
    struct credentials c;
    read_credentials(plan, &c);
    /* the server's cgroups first, as its processes are in: their devices rule holds for what this opens */
    int groups[MAX_LIST];
    open_cgroups(plan, groups);
    join_cgroups(plan, groups);
    enter_namespaces(plan);
    confine(plan);
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        fail("open the server's root");
    }
    const char *failed = write_credentials(root, &c);
    if (failed != NULL) {
        fail("write %s in the server%s", failed, errno == ELOOP ? " (a symbolic link there is not followed)" : "");
    }
    return 0;
}

int enter(const struct plan *plan) {
    int groups[MAX_LIST];
    open_cgroups(plan, groups);
    enter_namespaces(plan);
    /* SIGTERM waits until the command's pid and group are known: a timeout right at the fork is not lost */
    struct sigaction on_term = {.sa_handler = end_command};
    sigaction(SIGTERM, &on_term, NULL);
    sigset_t term, before;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &before);
    int channel[2] = {-1, -1};
    if (plan->terminal) {
        /* a relay whose agent has gone must not die of SIGPIPE before it hangs the terminal up */
        signal(SIGPIPE, SIG_IGN);
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) != 0) {
            fail("socketpair for the terminal");
        }
    }
    pid_t child = fork();
    if (child < 0) {
        fail("fork into the server (is it stopping?)");
    }
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &before, NULL);
        /* a terminal needs a session of its own to be the controlling one; a session is a process group too */
        if (plan->terminal ? setsid() < 0 : setpgid(0, 0) != 0) {
            fail("make a process group for the command");
        }
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        join_cgroups(plan, groups);
        confine(plan);
        if (plan->terminal) {
            close(channel[0]);
            open_terminal(channel[1]);
        }
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            fail("close descriptors");
        }
        execvp(plan->command[0], plan->command);
        int error = errno;
        dprintf(STDERR_FILENO, "%s: %s\n", plan->command[0], strerror(error));
        _exit(error == ENOENT ? 127 : 126);
    }
    if (!plan->terminal) {
        setpgid(child, child); /* the child's setsid would fail were it a group leader already */
    }
    command = child;
    sigprocmask(SIG_SETMASK, &before, NULL);
    if (plan->terminal) {
        close(channel[1]);
        int exited = syscall(SYS_pidfd_open, child, 0);
        if (exited < 0) {
            kill(child, SIGKILL);
        } else {
            relay_terminal(channel[0], exited);
        }
    }
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            fail("wait for the command");
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
