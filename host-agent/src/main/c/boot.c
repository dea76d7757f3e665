/*
 * Boot: the server's first process. On the host side of everything until its last step, it never
 * looks a path up in the root the customer controls except beneath the root's descriptor with
 * symbolic links refused (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), and it mounts onto
 * descriptors, not paths (the kernel's new mount API), so no link the customer left in its files
 * can turn a mount or a write of the host's privileges elsewhere.
 *
 *  1. joins the server's cgroups (before anything of the server's runs, so a fork bomb as init is held);
 *  2. with a user namespace of its own (-u): becomes the range's first id (-R) and makes the user
 *     namespace, owned by that id, with mount, PID, network and cgroup namespaces owned by it, says "user" on stdout and waits for a line on stdin while the
 *     agent writes the uid and gid maps, and becomes root of the range;
 *  3. with a network (-n): says "net" and waits for a line while the agent moves the server's end of
 *     its veth into the network namespace and configures it from the host, so the network is up
 *     before anything of the server's runs;
 *  4. with a user namespace of its own, forks the server's PID 1, saying "pid <host pid>" as it
 *     exits; without, it already is PID 1;
 *  5. brings loopback up, mounts /proc from inside the PID namespace and /sys read-only from inside
 *     the network namespace, masks and write-protects what the agent named, writes the files it
 *     gave (/etc/hostname; /etc/hosts and /etc/resolv.conf with a network) and root's credentials where it
 *     gave them (-a, -s: see credentials.c), points stdin at the server's /dev/null and stdout at the
 *     pipe to its console log (-c, descriptor 4; else /dev/null);
 *  6. pivot_root into the server's root and detaches the host's;
 *  7. confines itself (bounding set, seccomp) and execs the server's init. Its stderr is the agent's
 *     close-on-exec pipe: an error from any step, or end of file once init runs; init's stderr is its
 *     stdout.
 */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

extern char **environ;

/* Opens path beneath dir: no symbolic link followed, no step out of dir. */
static int beneath(int dir, const char *path, int flags, mode_t mode) {
    struct open_how how = {
        .flags = flags | O_NOFOLLOW | O_CLOEXEC,
        .mode = mode,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    return syscall(SYS_openat2, dir, path, &how, sizeof how);
}

static void say(const char *line) {
    if (write(STDOUT_FILENO, line, strlen(line)) != (ssize_t) strlen(line)) {
        fail("write to the agent");
    }
}

/* Says what the agent may do now and waits for its line back. */
static void await_agent(const char *step, const char *what) {
    say(step);
    char c = 0;
    while (c != '\n') {
        if (read(STDIN_FILENO, &c, 1) != 1) {
            errno = EPIPE;
            fail("the agent did not %s", what);
        }
    }
}

/*
 * The new user namespace is made as the range's first id, so that the range owns it: what the
 * server's processes count against the kernel's per-user limits (inotify instances and watches,
 * user namespaces, message queues) is counted for the range too, not for host root.
 */
static void enter_own_user_namespace(uid_t first) {
    if (setgroups(0, NULL) != 0 || setresgid(first, first, first) != 0 || setresuid(first, first, first) != 0) {
        fail("become the range's first id %u", first);
    }
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0) {
        fail("unshare(user, mount, pid, net, cgroup)");
    }
    await_agent("user\n", "map the user namespace");
    if (setgroups(0, NULL) != 0 || setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
        fail("become root of the mapped range");
    }
}

/* In a PID namespace of its own, the server's PID 1 is a child: the helper says its host pid and exits. */
static void fork_init(void) {
    pid_t pid = fork();
    if (pid < 0) {
        fail("fork the server's PID 1");
    }
    if (pid > 0) {
        dprintf(STDOUT_FILENO, "pid %d\n", pid);
        _exit(0);
    }
}

static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        fail("read the flags of lo");
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
        fail("bring lo up");
    }
    close(s);
}

/*
 * The root as a directory descriptor, made the current directory. In a user namespace of its own the
 * mounts that came from the host's are locked together and pivot_root needs a root that is not: a
 * clone of the tree is put on top of it and entered by its descriptor, with no path looked up.
 */
static int own_root(const struct plan *plan) {
    if (!plan->own_users) {
        int root = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0) {
            fail("open the server's root");
        }
        return root;
    }
    int tree = open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | AT_RECURSIVE | OPEN_TREE_CLOEXEC);
    if (tree < 0 || move_mount(tree, "", AT_FDCWD, ".", MOVE_MOUNT_F_EMPTY_PATH) != 0 || fchdir(tree) != 0) {
        fail("bind the server's root onto itself");
    }
    return tree;
}

static void mount_on(int mount_fd, int target, const char *path) {
    if (move_mount(mount_fd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
        fail("mount on %s", path);
    }
    close(mount_fd);
    close(target);
}

static int new_mount(const char *type, unsigned int attributes, const char *path) {
    int fs = fsopen(type, FSOPEN_CLOEXEC);
    if (fs < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0) {
        fail("make a %s file system for %s", type, path);
    }
    int mount_fd = fsmount(fs, FSMOUNT_CLOEXEC, attributes);
    if (mount_fd < 0) {
        fail("mount a %s file system for %s", type, path);
    }
    close(fs);
    return mount_fd;
}

/*
 * /proc from inside the PID namespace (procfs shows the namespace of whoever mounts it) and a
 * read-only /sys from inside the network namespace (sysfs shows that namespace's devices).
 */
static void mount_kernel_file_systems(int root) {
    int proc = beneath(root, "proc", O_PATH | O_DIRECTORY, 0), sys = beneath(root, "sys", O_PATH | O_DIRECTORY, 0);
    if (proc < 0 || sys < 0) {
        fail("the server's /proc or /sys is not a directory");
    }
    mount_on(new_mount("proc", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, "/proc"), proc, "/proc");
    mount_on(new_mount("sysfs", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, "/sys"), sys, "/sys");
}

/* The server's /dev/null, made by the agent on a fresh tmpfs; checked all the same. */
static int dev_null(int root, int flags) {
    int fd = beneath(root, "dev/null", flags, 0);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fail("the server's /dev/null");
    }
    if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
        errno = ENODEV;
        fail("the server's /dev/null");
    }
    return fd;
}

/* A path to cover, or -1 where this kernel does not have it. */
static int cover_target(int root, const char *path) {
    int target = beneath(root, path, O_PATH, 0);
    if (target < 0 && errno != ENOENT) {
        fail("open %s to cover it", path);
    }
    return target;
}

/* A file behind /dev/null, a directory behind an empty read-only tmpfs. */
static void mask(int root, const char *path) {
    int target = cover_target(root, path);
    if (target < 0) {
        return;
    }
    struct stat st;
    if (fstat(target, &st) != 0) {
        fail("stat %s", path);
    }
    int cover;
    if (S_ISDIR(st.st_mode)) {
        cover = new_mount("tmpfs", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, path);
    } else {
        int null = dev_null(root, O_PATH);
        cover = open_tree(null, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (cover < 0) {
            fail("bind /dev/null for %s", path);
        }
        close(null);
    }
    mount_on(cover, target, path);
}

static void read_only(int root, const char *path) {
    int target = cover_target(root, path);
    if (target < 0) {
        return;
    }
    int tree = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    struct mount_attr attr = {
        .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
    };
    if (tree < 0 || mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
        fail("make %s read-only", path);
    }
    mount_on(tree, target, path);
}

/*
 * Writes the files the agent gave (PATH=CONTENT beneath the root: /etc/hostname, and with a network
 * /etc/hosts and /etc/resolv.conf) as the server's root, each only if it is the customer's ordinary
 * file or missing: a link or anything else the customer put there is left as it is.
 */
static void write_files(int root, const struct plan *plan) {
    for (int i = 0; i < plan->nwrites; i++) {
        const char *content = strchr(plan->writes[i], '=');
        if (content == NULL) {
            errno = EINVAL;
            fail("-w %s is not PATH=CONTENT", plan->writes[i]);
        }
        char path[256];
        snprintf(path, sizeof path, "%.*s", (int) (content - plan->writes[i]), plan->writes[i]);
        content++;
        int fd = beneath(root, path, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0644);
        struct stat st;
        if (fd < 0) {
            continue;
        }
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) == 0) {
            /* a full disk is the customer's to clear: the server boots all the same, without the content */
            ssize_t written = write(fd, content, strlen(content));
            (void) written;
        }
        close(fd);
    }
}

int boot(const struct plan *plan) {
    struct credentials credentials;
    read_credentials(plan, &credentials);
    int groups[MAX_LIST];
    open_cgroups(plan, groups);
    join_cgroups(plan, groups);
    if (chdir(plan->root) != 0) {
        fail("enter %s", plan->root);
    }
    if (plan->own_users) {
        enter_own_user_namespace(plan->range_first);
    }
    if (plan->network) {
        await_agent("net\n", "configure the network");
    }
    if (plan->own_users) {
        fork_init();
    }
    loopback_up();
    int root = own_root(plan);
    mount_kernel_file_systems(root);
    for (int i = 0; i < plan->nmasked; i++) {
        mask(root, plan->masked[i]);
    }
    for (int i = 0; i < plan->nreadonly; i++) {
        read_only(root, plan->readonly[i]);
    }
    write_files(root, plan);
    /* as write_files: what the customer made of /root/.ssh or /etc/shadow since is left as it is, and the boot goes on */
    (void) write_credentials(root, &credentials);
    int null = dev_null(root, O_RDWR), output = plan->console ? 4 : null;
    if (dup2(null, STDIN_FILENO) < 0 || dup2(output, STDOUT_FILENO) < 0) {
        fail("point stdin at /dev/null and stdout at the console log");
    }
    if (syscall(SYS_pivot_root, ".", ".") != 0 || umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) {
        fail("pivot_root into the server's root");
    }
    confine(plan);
    /* errors of the exec go to the agent's pipe, which closes with the exec */
    int agent = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (agent < 0 || dup2(STDOUT_FILENO, STDERR_FILENO) < 0 || close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        fail("hand stderr over");
    }
    execve(plan->command[0], plan->command, environ);
    dprintf(agent, "init %s cannot be run from the server's root filesystem: %s\n", plan->command[0], strerror(errno));
    _exit(125);
}
