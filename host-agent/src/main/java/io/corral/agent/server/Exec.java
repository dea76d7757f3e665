package io.corral.agent.server;

import io.corral.agent.AgentException;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.sys.Sys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command inside a running server, held in as its init is: corral-enter (see
 * src/main/c/exec.c) joins the server's cgroups, enters its namespaces through a pidfd of its init,
 * confines itself and execs the command, found on the server's PATH. Nothing in the server is looked
 * up or run before the command itself.
 *
 * The calling thread waits on the output pipes and the helper's pidfd at once (poll), so an exec
 * holds no other thread and no pool. It ends when the command exits, with what it wrote until then
 * (processes it left running in the background keep running, as after a shell's `nohup`), or at the
 * timeout, when the command's whole process group is killed: the command and whatever it started that
 * did not leave the group.
 */
final class Exec {
    static final int MAX_OUTPUT = 1 << 20;
    static final int TIMED_OUT = 124;
    private static final long KILL_GRACE_MILLIS = 5000;
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root", "TERM=dumb", "LANG=C.UTF-8");

    private Exec() {
    }

    /** confinement: corral-enter's options for what holds the server's processes in. */
    static ExecResult run(InitProcess init, boolean ownUsers, List<Path> joinFiles, List<String> confinement,
                          List<String> command, Duration timeout) {
        if (command == null || command.isEmpty() || command.get(0).isEmpty()) {
            throw AgentException.invalid("command", "must name a program to run");
        }
        List<String> args = new ArrayList<>(List.of("exec", "-p", Integer.toString(init.pid()), "-t", Long.toString(init.startTicks())));
        if (ownUsers) {
            args.add("-u");
        }
        joinFiles.forEach(file -> args.addAll(List.of("-j", file.toString())));
        args.addAll(confinement);
        args.add("--");
        args.addAll(command);
        int[] out = Sys.pipe(), err = Sys.pipe();
        int pid;
        try {
            pid = EnterHelper.spawn(args, ENV, -1, out[1], err[1]);
        } finally {
            Sys.close(out[1]);
            Sys.close(err[1]);
        }
        int exited = -1;
        try {
            exited = Sys.pidfd(pid);
            Output stdout = new Output(out[0]), stderr = new Output(err[0]);
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean done = false, timedOut = false;
            while (!done) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                boolean[] ready = Sys.pollReadable(new int[] {stdout.pollable(), stderr.pollable(), exited}, left);
                stdout.readIf(ready[0]);
                stderr.readIf(ready[1]);
                done = ready[2];
            }
            if (timedOut) {
                endCommand(pid, exited);
            }
            int status = Sys.awaitExit(pid);
            stdout.readWhatIsLeft();
            stderr.readWhatIsLeft();
            return new ExecResult(timedOut ? TIMED_OUT : status, stdout.text(), stderr.text(), timedOut);
        } finally {
            if (exited >= 0) {
                Sys.close(exited);
            }
            Sys.close(out[0]);
            Sys.close(err[0]);
        }
    }

    /**
     * The helper kills the command's process group and collects the command when asked with SIGTERM
     * (so nothing of it is orphaned to the agent); should it not end within the grace, it is killed.
     */
    private static void endCommand(int helper, int exited) {
        Sys.kill(helper, Sys.SIGTERM);
        if (!Sys.pollReadable(new int[] {exited}, KILL_GRACE_MILLIS)[0]) {
            Sys.kill(-helper, Sys.SIGKILL);
        }
    }

    /** One output pipe: kept up to {@link #MAX_OUTPUT}, read (and dropped) past it so the command never blocks on it. */
    private static final class Output {
        final int fd;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[65536];
        private boolean ended;

        Output(int fd) {
            this.fd = fd;
        }

        void readIf(boolean ready) {
            if (ready && !ended) {
                int n = Sys.readSome(fd, buffer);
                if (n == 0) {
                    ended = true;
                }
                if (n > 0) {
                    kept.write(buffer, 0, Math.min(n, MAX_OUTPUT - kept.size()));
                }
            }
        }

        /** The descriptor to poll, or -1 (ignored by poll) once it has ended. */
        int pollable() {
            return ended ? -1 : fd;
        }

        /**
         * What the command wrote before it ended and is still in the pipe (at most a full pipe, 1 MiB,
         * however fast something left in the background writes); nothing is waited for.
         */
        void readWhatIsLeft() {
            for (int reads = 0; reads < 32 && !ended && Sys.pollReadable(new int[] {fd}, 0)[0]; reads++) {
                readIf(true);
            }
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
