/*
 * exec -T: the command gets a pseudo-terminal of the server's own devpts instance, as a console
 * session needs. The child opens /dev/pts/ptmx only once it is confined (inside the server's mount
 * namespace, cgroups, bounding set and seccomp filter), so the lookup is the server's own and runs
 * with no more than the server's privileges; the terminal's other end comes from the master
 * (TIOCGPTPEER), never by a path. The master goes to this process through a socket, and this
 * process, which the server cannot see (it is outside the server's PID namespace and cgroups), relays
 * between it and the agent:
 *
 *  stdin, from the agent: frames of a type byte, a big-endian 16-bit length and that many bytes:
 *    'i' LEN BYTES   input for the terminal (LEN at most MAX_FRAME)
 *    'r' 4 ROWS COLS the terminal's size, two big-endian 16-bit numbers
 *  stdout, to the agent: what the terminal writes, as it comes.
 *
 * Nothing is queued: a frame's input is written to the terminal before the next frame is read, and
 * the terminal is read only as fast as the agent takes its output, so a slow side slows the other
 * rather than costing memory. The session ends when the command exits, when the agent closes stdin
 * (the terminal is hung up: its processes get SIGHUP, as on a closed ssh connection) or at SIGTERM.
 */
#include "enter.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_FRAME 4096
#define DEVPTS_MAGIC 0x1cd1

/* A byte with room for one descriptor beside it (SCM_RIGHTS): the master's way from child to parent. */
struct handover {
    char byte;
    struct iovec data;
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr message;
};

static void prepare(struct handover *h) {
    memset(h, 0, sizeof *h);
    h->data = (struct iovec) {.iov_base = &h->byte, .iov_len = 1};
    h->message = (struct msghdr) {.msg_iov = &h->data, .msg_iovlen = 1, .msg_control = h->control.space,
                                  .msg_controllen = sizeof h->control.space};
}

void open_terminal(int channel) {
    int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct statfs fs;
    if (master < 0 || fstatfs(master, &fs) != 0 || fs.f_type != DEVPTS_MAGIC) {
        if (master >= 0) {
            errno = ENOTTY;
        }
        fail("open the server's /dev/pts/ptmx (is devpts mounted at /dev/pts?)");
    }
    int unlock = 0;
    struct winsize size = {.ws_row = 24, .ws_col = 80};
    if (ioctl(master, TIOCSPTLCK, &unlock) != 0 || ioctl(master, TIOCSWINSZ, &size) != 0) {
        fail("set up the pseudo-terminal");
    }
    int tty = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) != 0) {
        fail("open the pseudo-terminal's other end");
    }
    struct handover h;
    prepare(&h);
    struct cmsghdr *rights = CMSG_FIRSTHDR(&h.message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(rights), &master, sizeof(int));
    if (sendmsg(channel, &h.message, 0) != 1) {
        fail("hand the terminal to the relay");
    }
    close(master);
    close(channel);
    for (int fd = 0; fd < 3; fd++) {
        if (dup2(tty, fd) < 0) {
            fail("make the terminal the command's stdio");
        }
    }
    if (tty > 2) {
        close(tty);
    }
}

/* The master from the child, or -1 when the child failed before sending it (it said why on stderr). */
static int receive_master(int channel) {
    struct handover h;
    prepare(&h);
    ssize_t n;
    while ((n = recvmsg(channel, &h.message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    struct cmsghdr *rights = CMSG_FIRSTHDR(&h.message);
    if (n != 1 || rights == NULL || rights->cmsg_type != SCM_RIGHTS || rights->cmsg_len != CMSG_LEN(sizeof(int))) {
        return -1;
    }
    int master;
    memcpy(&master, CMSG_DATA(rights), sizeof(int));
    return master;
}

static int write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        bytes += n;
        length -= n;
    }
    return 0;
}

static unsigned int be16(const unsigned char *bytes) {
    return (bytes[0] << 8) | bytes[1];
}

/* What the terminal wrote and is still there; 0 while it may write more, -1 once it is hung up or stdout is gone. */
static int pass_output(int master) {
    char buffer[MAX_FRAME];
    ssize_t n = read(master, buffer, sizeof buffer);
    if (n > 0) {
        return write_all(STDOUT_FILENO, buffer, n);
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

void relay_terminal(int channel, int command_exited) {
    int master = receive_master(channel);
    close(channel);
    if (master < 0) {
        return;
    }
    unsigned char frame[3 + MAX_FRAME];
    size_t have = 0, written = 0, pending = 0; /* a frame read so far; of an input frame, bytes passed on and to pass */
    int open_input = 1;
    for (;;) {
        struct pollfd fds[3] = {
            {.fd = pending > 0 || !open_input ? -1 : STDIN_FILENO, .events = POLLIN},
            {.fd = master, .events = POLLIN | (pending > 0 ? POLLOUT : 0)},
            {.fd = command_exited, .events = POLLIN},
        };
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[2].revents) {
            for (int reads = 0; reads < 64 && pass_output(master) == 0; reads++) {
            }
            break;
        }
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && pass_output(master) != 0) {
            break;
        }
        if (pending > 0 && (fds[1].revents & POLLOUT)) {
            ssize_t n = write(master, frame + 3 + written, pending);
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                break;
            }
            if (n > 0) {
                written += n;
                pending -= n;
            }
            if (pending == 0) {
                have = 0;
            }
        }
        if (fds[0].revents) {
            size_t need = have < 3 ? 3 : 3 + be16(frame + 1);
            ssize_t n = read(STDIN_FILENO, frame + have, need - have);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                break; /* the agent ended the session */
            }
            have += n > 0 ? n : 0;
            unsigned int length = have >= 3 ? be16(frame + 1) : 0;
            if (have == 3 && (frame[0] == 'i' ? length > MAX_FRAME : frame[0] != 'r' || length != 4)) {
                dprintf(STDERR_FILENO, "corral-enter: a terminal frame of type %d and length %u\n", frame[0], length);
                break;
            }
            if (have >= 3 && have == 3 + length) {
                if (frame[0] == 'r') {
                    struct winsize size = {.ws_row = be16(frame + 3), .ws_col = be16(frame + 5)};
                    ioctl(master, TIOCSWINSZ, &size); /* the kernel tells the foreground group (SIGWINCH) */
                    have = 0;
                } else {
                    written = 0;
                    pending = length;
                    have = length == 0 ? 0 : have;
                }
            }
        }
    }
    close(master); /* hangs the terminal up: its session gets SIGHUP */
}
