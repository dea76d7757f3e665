/*
 * corral-enter: every step into a virtual server that the agent, a JVM, cannot take itself, or must
 * not: a process makes or enters a user namespace only while it has a single thread, and nothing
 * of the customer's may be looked up or run with the host's privileges. This small, static,
 * single-threaded program does those steps, as runc's nsexec does for Go. It holds no policy: the
 * agent passes the groups to join, the capabilities to keep, the seccomp program and the paths to
 * mask. The agent runs it from a sealed copy in memory, so nothing inside a server can change it.
 */
#ifndef CORRAL_ENTER_H
#define CORRAL_ENTER_H
#define _GNU_SOURCE
#include <sys/types.h>

#define MAX_LIST 32

/* What the agent asked for, from the command line (see main.c). */
struct plan {
    int own_users;                /* -u: the server has a user namespace of its own */
    int network;                  /* -n: the agent configures the server's network namespace before init runs (boot) */
    int console;                  /* -c: init's stdout and stderr are descriptor 4, the pipe to the server's console log (boot) */
    uid_t range_first;            /* -R: the first host id of its range (boot), which owns the namespace */
    const char *root;             /* -r: the server's root directory on the host (boot) */
    int terminal;                 /* -T: the command gets a pseudo-terminal of the server's devpts, relayed on stdio (exec) */
    pid_t init;                   /* -p: the server's init, host pid (exec) */
    unsigned long long init_start;/* -t: its start time in clock ticks, so a reused pid is refused (exec) */
    const char *joins[MAX_LIST];  /* -j: cgroup files to write "0" to: v1 tasks, v2 cgroup.procs */
    int njoins;
    const char *masked[MAX_LIST]; /* -m: paths under the root hidden (a file behind /dev/null, a directory behind an empty tmpfs) */
    int nmasked;
    const char *readonly[MAX_LIST]; /* -o: paths under the root made read-only */
    int nreadonly;
    const char *writes[MAX_LIST]; /* -w: PATH=CONTENT, files under the root written as the server's root (boot) */
    int nwrites;
    unsigned long long kept;      /* -k: the capabilities kept in the bounding set, as a hex mask */
    const char *filter;           /* -f: the seccomp program, struct sock_filter in memory order, as hex */
    const char *keys_file;        /* -a: a file of the agent's holding root's authorized_keys to write (boot, credentials) */
    const char *hash_file;        /* -s: a file of the agent's holding root's password hash for /etc/shadow (boot, credentials) */
    char **command;               /* after --: init (boot) or the command (exec) */
};

/* Credentials read from the agent's files; NULL where none is to be written. */
struct credentials {
    char *keys;
    char *hash;
};

/* Reports "corral-enter: <what>: <errno text>" on stderr and exits with 125. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Opens the plan's cgroup files for writing, on the host; fds must hold MAX_LIST. */
void open_cgroups(const struct plan *plan, int *fds);

/* Writes "0" into each opened cgroup file: the calling (single-threaded) process joins the server's groups. */
void join_cgroups(const struct plan *plan, const int *fds);

/* Narrows the bounding set to the kept capabilities, clears the inheritable and ambient sets and installs the seccomp filter. */
void confine(const struct plan *plan);

/* In the confined child: opens a pseudo-terminal in the server's devpts, sends its master on channel and makes the other end stdio. */
void open_terminal(int channel);

/* In exec's parent: relays between stdio and the master the child sends on channel until the command exits (command_exited: its pidfd), stdin ends or the terminal hangs up. */
void relay_terminal(int channel, int command_exited);

/* Reads the plan's credential files, on the host (see credentials.c). */
void read_credentials(const struct plan *plan, struct credentials *c);

/* Writes them beneath root as the calling process's root; NULL, or the path that failed with errno set. */
const char *write_credentials(int root, const struct credentials *c);

/* The server's namespaces entered through a pidfd of its init, checked by its start time (see exec.c). */
void enter_namespaces(const struct plan *plan);

/* The four modes; each returns only by exec or exit. */
int boot(const struct plan *plan);
int enter(const struct plan *plan);
int console(const struct plan *plan);
int credentials(const struct plan *plan);
int map_only(void);

#endif
