/*
 * corral-enter boot [-u -R FIRST] [-n] [-c] -r ROOT -j FILE... -m PATH... -o PATH... -w PATH=CONTENT... [-a FILE] [-s FILE] -k HEX -f HEX -- INIT ARGS...
 *   Runs as the first process of a new server, spawned by the agent's boot thread after it has made
 *   the mount, UTS and IPC namespaces (and, without -u, the PID and network namespaces) and mounted
 *   the root filesystem at ROOT. See boot.c.
 *
 * corral-enter exec [-u] [-T] -p PID -t TICKS -j FILE... -k HEX -f HEX -- COMMAND ARGS...
 *   Runs COMMAND inside the running server whose init is PID (started at TICKS). See exec.c; with -T
 *   on a pseudo-terminal of the server's, relayed on stdin and stdout, see terminal.c.
 *
 * corral-enter console -j FILE... <PIPE >LOG
 *   Keeps a server's console log: copies what comes through PIPE, the server's init's stdout and
 *   stderr, into the ring in LOG. See console.c.
 *
 * corral-enter credentials [-u] -p PID -t TICKS -a FILE -s FILE -j FILE... -k HEX -f HEX
 *   Writes root's authorized_keys (and password hash) into the running server whose init is PID, from
 *   inside it as its root, in its cgroups. See exec.c and credentials.c.
 *
 * corral-enter map-only
 *   Makes a user namespace, says "made" and waits for a line on stdin while the agent maps it and
 *   opens it (an idmapped mount needs a namespace that carries only a range's map).
 */
#include "enter.h"
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int map_only(void) {
    if (unshare(CLONE_NEWUSER) != 0) {
        fail("unshare(user)");
    }
    if (write(STDOUT_FILENO, "made\n", 5) != 5) {
        fail("write to the agent");
    }
    char c;
    return read(STDIN_FILENO, &c, 1) < 0;
}

static void add(const char **list, int *count, const char *value) {
    if (*count == MAX_LIST) {
        errno = E2BIG;
        fail("more than %d values for one option", MAX_LIST);
    }
    list[(*count)++] = value;
}

static unsigned long long number(const char *text, int base) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, base);
    if (errno != 0 || *text == '\0' || *end != '\0') {
        errno = EINVAL;
        fail("not a number: %s", text);
    }
    return value;
}

/* The options; a seccomp filter where the mode confines itself (confined), and the command after --, if any. */
static void parse(struct plan *plan, int argc, char **argv, int confined) {
    int i = 2;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *option = argv[i];
        if (strcmp(option, "-u") == 0) {
            plan->own_users = 1;
            continue;
        }
        if (strcmp(option, "-T") == 0) {
            plan->terminal = 1;
            continue;
        }
        if (strcmp(option, "-n") == 0) {
            plan->network = 1;
            continue;
        }
        if (strcmp(option, "-c") == 0) {
            plan->console = 1;
            continue;
        }
        if (i + 1 >= argc) {
            errno = EINVAL;
            fail("%s needs a value", option);
        }
        const char *value = argv[++i];
        if (strcmp(option, "-r") == 0) {
            plan->root = value;
        } else if (strcmp(option, "-R") == 0) {
            plan->range_first = (uid_t) number(value, 10);
        } else if (strcmp(option, "-p") == 0) {
            plan->init = (pid_t) number(value, 10);
        } else if (strcmp(option, "-t") == 0) {
            plan->init_start = number(value, 10);
        } else if (strcmp(option, "-j") == 0) {
            add(plan->joins, &plan->njoins, value);
        } else if (strcmp(option, "-m") == 0) {
            add(plan->masked, &plan->nmasked, value);
        } else if (strcmp(option, "-o") == 0) {
            add(plan->readonly, &plan->nreadonly, value);
        } else if (strcmp(option, "-w") == 0) {
            add(plan->writes, &plan->nwrites, value);
        } else if (strcmp(option, "-k") == 0) {
            plan->kept = number(value, 16);
        } else if (strcmp(option, "-f") == 0) {
            plan->filter = value;
        } else if (strcmp(option, "-a") == 0) {
            plan->keys_file = value;
        } else if (strcmp(option, "-s") == 0) {
            plan->hash_file = value;
        } else {
            errno = EINVAL;
            fail("unknown option %s", option);
        }
    }
    if (!confined) {
        return;
    }
    if (plan->filter == NULL) {
        errno = EINVAL;
        fail("a seccomp filter (-f) is needed");
    }
    plan->command = i + 1 < argc ? argv + i + 1 : NULL;
}

int main(int argc, char **argv) {
    struct plan plan = {0};
    /* run from /proc/self/fd/3, it would show as "3"; and no process of a server may read it */
    prctl(PR_SET_NAME, "corral-enter", 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (argc >= 2 && strcmp(argv[1], "map-only") == 0) {
        return map_only();
    }
    if (argc >= 2 && strcmp(argv[1], "boot") == 0) {
        parse(&plan, argc, argv, 1);
        if (plan.root == NULL || (plan.own_users && plan.range_first == 0) || plan.command == NULL) {
            errno = EINVAL;
            fail("boot needs the server's root (-r), with -u the first id of its range (-R), and init after --");
        }
        return boot(&plan);
    }
    if (argc >= 2 && strcmp(argv[1], "exec") == 0) {
        parse(&plan, argc, argv, 1);
        if (plan.init <= 0 || plan.command == NULL) {
            errno = EINVAL;
            fail("exec needs the server's init (-p) and a command after --");
        }
        return enter(&plan);
    }
    if (argc >= 2 && strcmp(argv[1], "console") == 0) {
        parse(&plan, argc, argv, 0);
        return console(&plan);
    }
    if (argc >= 2 && strcmp(argv[1], "credentials") == 0) {
        parse(&plan, argc, argv, 1);
        if (plan.init <= 0) {
            errno = EINVAL;
            fail("credentials needs the server's init (-p)");
        }
        return credentials(&plan);
    }
    fprintf(stderr, "usage: corral-enter boot|exec|credentials OPTIONS [-- PROGRAM ARGS...] | console -j FILE... | map-only\n");
    return 2;
}
