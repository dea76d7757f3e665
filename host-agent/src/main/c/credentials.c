/*
 * Credentials: root's /root/.ssh/authorized_keys and its password hash in /etc/shadow, written into a
 * server's root as the server's root (with a user namespace of its own, root of its range), beneath a
 * descriptor of that root with no symbolic link followed (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
 * | RESOLVE_NO_MAGICLINKS for paths, O_NOFOLLOW for the last name): a customer who makes /root/.ssh a
 * link to anywhere gets a refusal, not a write there. Each file is replaced whole by a new one written
 * beside it in the same directory and renamed over it, so a reader never sees half of one.
 *
 * What to write comes from files of the agent's own (-a: the authorized_keys content, -s: the hash),
 * read on the host before anything of the server's is entered.
 */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The agent's bounds (32 keys of at most 8 KiB) with room; a shadow file past this is refused, not read. */
#define MAX_KEYS_BYTES (300 * 1024)
#define MAX_HASH_BYTES 256
#define MAX_SHADOW_BYTES (1024 * 1024)

static int beneath(int dir, const char *path, int flags) {
    struct open_how how = {
        .flags = flags | O_NOFOLLOW | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    return syscall(SYS_openat2, dir, path, &how, sizeof how);
}

/* A whole file of at most max bytes from fd, NUL-terminated; -1 with EFBIG past max. */
static ssize_t read_bounded(int fd, char **out, size_t max) {
    char *buffer = malloc(max + 2);
    size_t length = 0;
    ssize_t n;
    if (buffer == NULL) {
        return -1;
    }
    while (length <= max && (n = read(fd, buffer + length, max + 1 - length)) != 0) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            free(buffer);
            return -1;
        }
        length += n;
    }
    if (length > max) {
        free(buffer);
        errno = EFBIG;
        return -1;
    }
    buffer[length] = '\0';
    *out = buffer;
    return length;
}

static char *read_host_file(const char *path, size_t max) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    char *content = NULL;
    if (fd < 0 || read_bounded(fd, &content, max) < 0) {
        fail("read %s", path);
    }
    close(fd);
    return content;
}

void read_credentials(const struct plan *plan, struct credentials *c) {
    c->keys = plan->keys_file == NULL ? NULL : read_host_file(plan->keys_file, MAX_KEYS_BYTES);
    c->hash = plan->hash_file == NULL ? NULL : read_host_file(plan->hash_file, MAX_HASH_BYTES);
    /* the agent checked the hash's form; a field separator or a line break would still change other fields */
    if (c->hash != NULL && (c->hash[0] == '\0' || strpbrk(c->hash, ":\n\r") != NULL)) {
        errno = EINVAL;
        fail("the root password hash in %s", plan->hash_file);
    }
}

/* Replaces name in dir by data: written beside it, owned and moded as given, synced, renamed over it. */
static int replace(int dir, const char *name, const char *data, size_t length, mode_t mode, uid_t uid, gid_t gid) {
    char aside[64];
    snprintf(aside, sizeof aside, ".%s.corral-new", name);
    unlinkat(dir, aside, 0); /* left by a crash, or the customer's: a link there is removed, not followed */
    int fd = openat(dir, aside, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0600);
    if (fd < 0) {
        return -1;
    }
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, data + done, length - done);
        if (n < 0 && errno != EINTR) {
            break;
        }
        done += n > 0 ? (size_t) n : 0;
    }
    int ok = done == length && fchown(fd, uid, gid) == 0 && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    int error = errno;
    close(fd);
    if (!ok || renameat(dir, aside, dir, name) != 0) {
        error = ok ? errno : error;
        unlinkat(dir, aside, 0);
        errno = error;
        return -1;
    }
    return 0;
}

/* The directory name in dir, made with mode if missing; a link or anything but a directory is refused. */
static int directory(int dir, const char *name, mode_t mode) {
    if (mkdirat(dir, name, mode) != 0 && errno != EEXIST) {
        return -1;
    }
    int fd = beneath(dir, name, O_RDONLY | O_DIRECTORY);
    struct stat st;
    if (fd < 0 && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        errno = ELOOP; /* O_DIRECTORY says ENOTDIR of a link: say what it is */
    }
    return fd;
}

static const char *write_keys(int root, const char *keys) {
    int home = directory(root, "root", 0700);
    if (home < 0) {
        return "/root";
    }
    int ssh = directory(home, ".ssh", 0700);
    close(home);
    if (ssh < 0) {
        return "/root/.ssh";
    }
    int failed = fchown(ssh, 0, 0) != 0 || fchmod(ssh, 0700) != 0
            || replace(ssh, "authorized_keys", keys, strlen(keys), 0600, 0, 0) != 0;
    int error = errno;
    close(ssh);
    errno = error;
    return failed ? "/root/.ssh/authorized_keys" : NULL;
}

/*
 * /etc/shadow with root's password field set to hash and its last change to today; every other line and
 * field as it was, and the file's owner and mode (a new file: root's, 0600).
 */
static const char *write_shadow(int root, const char *hash) {
    int etc = directory(root, "etc", 0755);
    if (etc < 0) {
        return "/etc";
    }
    char *old = NULL;
    ssize_t old_length = 0;
    struct stat st = {.st_mode = S_IFREG | 0600};
    /* what is there is looked at before it is opened: a device or a pipe the customer put there is not opened at all */
    int path = openat(etc, "shadow", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (path < 0 && errno != ENOENT) {
        close(etc);
        return "/etc/shadow";
    }
    if (path >= 0) {
        int ok = fstat(path, &st) == 0;
        if (ok && !S_ISREG(st.st_mode)) {
            errno = EINVAL;
            ok = 0;
        }
        /*
         * Then opened by name again, not through /proc/self/fd (the server's /proc, here), and read only if it
         * is still that file: one swapped in meanwhile is refused (and a device one, by the devices cgroup).
         */
        int fd = ok ? openat(etc, "shadow", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
        struct stat opened;
        ok = ok && fd >= 0 && fstat(fd, &opened) == 0;
        if (ok && (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino)) {
            errno = ESTALE;
            ok = 0;
        }
        ok = ok && (old_length = read_bounded(fd, &old, MAX_SHADOW_BYTES)) >= 0;
        int error = errno;
        close(path);
        if (fd >= 0) {
            close(fd);
        }
        errno = error;
        if (!ok) {
            close(etc);
            return "/etc/shadow";
        }
    }
    char *out = malloc(old_length + strlen(hash) + 64);
    if (out == NULL) {
        close(etc);
        return "/etc/shadow";
    }
    long today = (long) (time(NULL) / 86400);
    size_t length = 0;
    int found = 0;
    /* by lengths, not C strings: a NUL in a line of the customer's does not cut the file short */
    for (const char *line = old, *last = old + old_length; line != NULL && line < last;) {
        const char *end = memchr(line, '\n', last - line);
        size_t line_length = end == NULL ? (size_t) (last - line) : (size_t) (end - line);
        if (!found && line_length >= 5 && memcmp(line, "root:", 5) == 0) {
            /* root:password:lastchange:rest — the rest (ageing, expiry) stays */
            const char *password_end = memchr(line + 5, ':', line_length - 5);
            const char *change_end = password_end == NULL ? NULL : memchr(password_end + 1, ':', line + line_length - password_end - 1);
            const char *rest = change_end == NULL ? ":0:99999:7:::" : change_end;
            size_t rest_length = change_end == NULL ? strlen(rest) : (size_t) (line + line_length - change_end);
            length += sprintf(out + length, "root:%s:%ld", hash, today);
            memcpy(out + length, rest, rest_length);
            length += rest_length;
            found = 1;
        } else {
            memcpy(out + length, line, line_length);
            length += line_length;
        }
        out[length++] = '\n';
        line = end == NULL ? NULL : end + 1;
    }
    if (!found) {
        length += sprintf(out + length, "root:%s:%ld:0:99999:7:::\n", hash, today);
    }
    int failed = replace(etc, "shadow", out, length, st.st_mode & 07777, st.st_uid, st.st_gid) != 0;
    int error = errno;
    free(out);
    free(old);
    close(etc);
    errno = error;
    return failed ? "/etc/shadow" : NULL;
}

const char *write_credentials(int root, const struct credentials *c) {
    const char *failed = NULL;
    if (c->keys != NULL) {
        failed = write_keys(root, c->keys);
    }
    if (failed == NULL && c->hash != NULL) {
        failed = write_shadow(root, c->hash);
    }
    return failed;
}
