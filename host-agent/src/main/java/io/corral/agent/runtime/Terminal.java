package io.corral.agent.runtime;

import io.corral.agent.containment.EnterHelper;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import java.nio.file.Path;
import java.util.List;

/**
 * A login shell as root inside a running server, on a pseudo-terminal of the server's own devpts:
 * corral-enter's exec with -T (src/main/c/terminal.c) enters and confines as for any exec, opens the
 * terminal once confined and relays it. The agent writes frames to it ({@link #input}: 'i' input,
 * 'r' size) and reads what the terminal writes, through pipes, so a slow reader on either side holds
 * the other back instead of filling memory.
 *
 * The shell is the one the server's /etc/passwd gives root, found by a shell inside the server,
 * never by the agent; /bin/sh when there is none.
 */
public final class Terminal {
    /** How long a hung-up session's processes have to end before they are made to. */
    private static final long GRACE_MILLIS = 5000;
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root", "USER=root", "LOGNAME=root", "TERM=xterm-256color", "LANG=C.UTF-8");
    private static final List<String> LOGIN_SHELL = List.of("/bin/sh", "-c",
            "shell=$(sed -n 's/^root:\\([^:]*:\\)\\{5\\}//p' /etc/passwd 2>/dev/null); [ -x \"$shell\" ] || shell=/bin/sh;"
            + " cd /root 2>/dev/null || cd /; exec \"$shell\" -l");
    private final int helper;
    private final int exited;
    private final int input;
    private final int output;

    private Terminal(int helper, int exited, int input, int output) {
        this.helper = helper;
        this.exited = exited;
        this.input = input;
        this.output = output;
    }

    /** Starts the session's helper; what fails from here on (the server stopping meanwhile) it writes to the output. */
    public static Terminal open(InitProcess init, boolean ownUsers, List<Path> joinFiles, List<String> confinement) {
        List<String> args = Exec.helperArgs(init, ownUsers, joinFiles, confinement, List.of("-T"), LOGIN_SHELL);
        int[] in = Pipes.pipe();
        int[] out = Pipes.pipe();
        int pid;
        try {
            pid = EnterHelper.spawn(args, ENV, in[0], out[1], out[1]);
        } catch (RuntimeException e) {
            Sys.close(in[1]);
            Sys.close(out[0]);
            throw e;
        } finally {
            Sys.close(in[0]);
            Sys.close(out[1]);
        }
        try {
            return new Terminal(pid, Exec.exitOf(pid), in[1], out[0]);
        } catch (RuntimeException e) {
            Sys.close(in[1]);
            Sys.close(out[0]);
            throw e;
        }
    }

    /** Writes frames for the helper (see terminal.c); blocks while it is busy, fails once it has ended. */
    public void write(byte[] frames, int length) {
        Pipes.writeAll(input, frames, length);
    }

    /** What the terminal wrote, at most buffer's length; blocks until there is some; 0 once the session has ended. */
    public int read(byte[] buffer) {
        while (true) {
            int n = Pipes.readSome(output, buffer);
            if (n >= 0) {
                return n;
            }
        }
    }

    /**
     * Hangs the terminal up (the helper sees its input end and the shell gets SIGHUP); what does not end
     * within the grace is ended, the session's process group and then the helper. Only the writer calls it.
     */
    public void hangUp() {
        Sys.close(input);
        if (!Pipes.pollReadable(new int[] {exited}, GRACE_MILLIS)[0]) {
            Processes.kill(helper, Processes.SIGTERM);
            if (!Pipes.pollReadable(new int[] {exited}, GRACE_MILLIS)[0]) {
                Processes.kill(-helper, Processes.SIGKILL);
            }
        }
    }

    /** Collects the ended helper and closes the rest; the reader calls it after {@link #hangUp} has returned. */
    public void close() {
        Sys.close(output);
        Processes.awaitExit(helper);
        Sys.close(exited);
    }
}
