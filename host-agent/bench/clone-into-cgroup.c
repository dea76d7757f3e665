/*
 * Start into a cgroup v2 group: clone3(CLONE_INTO_CGROUP) against joining after the fact (the child
 * writes "0" to the group's cgroup.procs before it execs, as corral-enter does), and plain fork as
 * the floor. Each round starts /bin/true in the group and waits for it; prints median and p95 in µs.
 *   bench/clone-into-cgroup ROUNDS     (as root, on a cgroup v2 host: test-v2.sh's guest)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GROUP "/sys/fs/cgroup/corral-clone-bench"

static char *const argv_true[] = {"/bin/true", NULL};

static long long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void wait_for(pid_t pid) {
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        perror("child");
        exit(1);
    }
}

static void plain_fork(int group) {
    (void) group;
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv_true[0], argv_true);
        _exit(127);
    }
    wait_for(pid);
}

static void join_after(int group) {
    (void) group;
    pid_t pid = fork();
    if (pid == 0) {
        int procs = open(GROUP "/cgroup.procs", O_WRONLY);
        if (procs < 0 || write(procs, "0", 1) != 1) {
            _exit(126);
        }
        execv(argv_true[0], argv_true);
        _exit(127);
    }
    wait_for(pid);
}

static void clone_into(int group) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (uint64_t) group;
    pid_t pid = (pid_t) syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
        execv(argv_true[0], argv_true);
        _exit(127);
    }
    wait_for(pid);
}

static int by_value(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

static void measure(const char *name, void (*start)(int), int group, int rounds) {
    long long *took = calloc(rounds, sizeof *took);
    for (int i = 0; i < rounds / 5; i++) {
        start(group); /* warm-up */
    }
    for (int i = 0; i < rounds; i++) {
        long long t0 = now_us();
        start(group);
        took[i] = now_us() - t0;
    }
    qsort(took, rounds, sizeof *took, by_value);
    printf("| %s | %lld | %lld | %lld | %d |\n", name, took[rounds / 2], took[rounds * 95 / 100], took[0], rounds);
    free(took);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    mkdir(GROUP, 0755);
    int group = open(GROUP, O_RDONLY | O_DIRECTORY);
    if (group < 0) {
        perror(GROUP);
        return 1;
    }
    printf("| how /bin/true starts | median µs | p95 µs | min µs | runs |\n| --- | --- | --- | --- | --- |\n");
    measure("fork, exec (no group: the floor)", plain_fork, group, rounds);
    measure("fork, write 0 to cgroup.procs, exec", join_after, group, rounds);
    measure("clone3(CLONE_INTO_CGROUP), exec", clone_into, group, rounds);
    close(group);
    rmdir(GROUP);
    return 0;
}
