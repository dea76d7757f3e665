/*
 * Console: keeps a server's console log, what its init and every process that inherits init's stdout
 * and stderr write (and the lines the agent adds about its boots), in a ring of CONSOLE_RING bytes.
 * It runs beside the server for as long as anything of the server's holds the pipe on its stdin, also
 * while the agent is down or being replaced, so the server's writes neither block nor fail for want of
 * a reader, and the log stays bounded whatever the server writes and whoever is there to read it.
 *
 *  1. joins the server's cgroups (-j): the CPU and memory it spends copying are the server's own, held
 *     by the server's limits; it takes itself out of the OOM killer's choice where it may;
 *  2. takes an exclusive lock on the log (its stdout, opened by the agent), so two relays never write
 *     one log (a second is refused at once rather than left waiting), allocates the file's blocks and
 *     maps it;
 *  3. closes its stderr, which tells the agent it is ready (an error from the steps before is written
 *     there instead), puts itself under seccomp's strict mode (read, write and exit only: the bytes it
 *     copies are the customer's), and reads the pipe straight into the ring until every writer is gone.
 *
 * The file: a header page (CONSOLE_MAGIC, then the count of bytes ever written as a little-endian
 * 64-bit number) and the ring, where byte n of the log lies at CONSOLE_HEADER + n % CONSOLE_RING. The
 * count is stored after the bytes it covers; a reader trusts the last CONSOLE_RING - CONSOLE_CHUNK
 * bytes before it, since one read may be overwriting the CONSOLE_CHUNK bytes after it
 * (runtime/ConsoleLog.java reads it).
 */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CONSOLE_HEADER 4096
#define CONSOLE_RING (1024 * 1024)
#define CONSOLE_CHUNK 65536
static const char CONSOLE_MAGIC[8] = "corral1\n";

struct console_header {
    char magic[8];
    uint64_t written;
};

/* Once nothing can be kept (the host's disk is full), the server's writes still find a reader. */
static void discard(void) {
    static char sink[CONSOLE_CHUNK];
    while (1) {
        ssize_t n = read(STDIN_FILENO, sink, sizeof sink);
        if (n == 0 || (n < 0 && errno != EINTR)) {
            syscall(SYS_exit, 0);
        }
    }
}

int console(const struct plan *plan) {
    int groups[MAX_LIST];
    open_cgroups(plan, groups);
    join_cgroups(plan, groups);
    /* lowering it needs CAP_SYS_RESOURCE, which a host's root has (some containers' not): the relay's
       small footprint then keeps it far down the OOM killer's choice all the same */
    int adjust = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adjust >= 0 && write(adjust, "-1000", 5) != 5) {
        errno = 0;
    }
    if (close_range(3, ~0U, 0) != 0 || flock(STDOUT_FILENO, LOCK_EX | LOCK_NB) != 0) {
        fail("lock the console log (is a process of the server's last run still holding it?)");
    }
    char *log = MAP_FAILED;
    if (posix_fallocate(STDOUT_FILENO, 0, CONSOLE_HEADER + CONSOLE_RING) == 0) {
        log = mmap(NULL, CONSOLE_HEADER + CONSOLE_RING, PROT_READ | PROT_WRITE, MAP_SHARED, STDOUT_FILENO, 0);
    }
    close(STDERR_FILENO);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) != 0) {
        syscall(SYS_exit, 125); /* the agent saw it ready; the server's writes fail as they would without a reader */
    }
    if (log == MAP_FAILED) {
        discard();
    }
    struct console_header *header = (struct console_header *) log;
    if (memcmp(header->magic, CONSOLE_MAGIC, sizeof CONSOLE_MAGIC) != 0) {
        memcpy(header->magic, CONSOLE_MAGIC, sizeof CONSOLE_MAGIC);
        __atomic_store_n(&header->written, 0, __ATOMIC_RELEASE);
    }
    char *ring = log + CONSOLE_HEADER;
    uint64_t written = header->written;
    while (1) {
        size_t at = written % CONSOLE_RING, room = CONSOLE_RING - at;
        ssize_t n = read(STDIN_FILENO, ring + at, room < CONSOLE_CHUNK ? room : CONSOLE_CHUNK);
        if (n > 0) {
            written += (uint64_t) n;
            __atomic_store_n(&header->written, written, __ATOMIC_RELEASE);
        } else if (n == 0 || errno != EINTR) {
            syscall(SYS_exit, 0);
        }
    }
}
