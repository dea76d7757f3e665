package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
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
public final class Exec {
    static final int MAX_OUTPUT = 1 << 20;
    static final int TIMED_OUT = 124;
    static final int MAX_ARGUMENTS = 4096, MAX_COMMAND_BYTES = 65536;
    private static final long KILL_GRACE_MILLIS = 5000;
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root", "TERM=dumb", "LANG=C.UTF-8");

    private Exec() {
    }

    /** confinement: corral-enter's options for what holds the server's processes in. */
    public static ExecResult run(InitProcess init, boolean ownUsers, List<Path> joinFiles, List<String> confinement,
                          List<String> command, Duration timeout) {
        if (command == null || command.isEmpty() || command.get(0).isEmpty()) {
            throw AgentException.invalid("command", "must name a program to run");
        }
        if (command.size() > MAX_ARGUMENTS || command.stream().mapToLong(a -> a.getBytes(StandardCharsets.UTF_8).length + 1).sum() > MAX_COMMAND_BYTES) {
            throw AgentException.invalid("command", "at most " + MAX_ARGUMENTS + " arguments and " + MAX_COMMAND_BYTES + " bytes in all");
        }
        List<String> args = helperArgs(init, ownUsers, joinFiles, confinement, List.of(), command);
        try (Output stdout = new Output(); Output stderr = new Output()) {
            int pid;
            try {
                pid = EnterHelper.spawn(args, ENV, -1, stdout.writeEnd, stderr.writeEnd);
            } finally {
                stdout.closeWriteEnd();
                stderr.closeWriteEnd();
            }
            int exited = exitOf(pid);
            try {
                long deadline = System.nanoTime() + timeout.toNanos();
                boolean done = false, timedOut = false;
                while (!done) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        timedOut = true;
                        break;
                    }
                    boolean[] ready = Pipes.pollReadable(new int[] {stdout.readEnd, stderr.readEnd, exited}, left);
                    stdout.readIf(ready[0]);
                    stderr.readIf(ready[1]);
                    done = ready[2];
                }
                if (timedOut) {
                    endCommand(pid, exited);
                }
                int status = Processes.awaitExit(pid);
                stdout.readWhatIsLeft();
                stderr.readWhatIsLeft();
                return new ExecResult(timedOut ? TIMED_OUT : status, stdout.text(), stderr.text(), timedOut);
            } finally {
                Sys.close(exited);
            }
        }
    }

    /** corral-enter's arguments for running command in the server; options: any of its own (e.g. -T). */
    static List<String> helperArgs(InitProcess init, boolean ownUsers, List<Path> joinFiles, List<String> confinement,
                                   List<String> options, List<String> command) {
        List<String> args = new ArrayList<>(List.of("exec", "-p", Integer.toString(init.pid()), "-t", Long.toString(init.startTicks())));
        if (ownUsers) {
            args.add("-u");
        }
        args.addAll(options);
        joinFiles.forEach(file -> args.addAll(List.of("-j", file.toString())));
        args.addAll(confinement);
        args.add("--");
        args.addAll(command);
        return args;
    }

    /** A pidfd of the helper; without one (no descriptor left) the exec is ended at once. */
    static int exitOf(int helper) {
        try {
            return Processes.pidfd(helper);
        } catch (RuntimeException e) {
            Processes.kill(helper, Processes.SIGTERM);
            Processes.awaitExit(helper);
            throw e;
        }
    }

    /**
     * The helper kills the command's process group and collects the command when asked with SIGTERM
     * (so nothing of it is orphaned to the agent); should it not end within the grace, it is killed.
     */
    private static void endCommand(int helper, int exited) {
        Processes.kill(helper, Processes.SIGTERM);
        if (!Pipes.pollReadable(new int[] {exited}, KILL_GRACE_MILLIS)[0]) {
            Processes.kill(-helper, Processes.SIGKILL);
        }
    }

    /**
     * One output pipe, kept up to {@link #MAX_OUTPUT}; then the agent stops reading and closes its end,
     * so the command's further writes fail (EPIPE, or SIGPIPE ends it) rather than cost the agent.
     */
    private static final class Output implements AutoCloseable {
        int readEnd, writeEnd;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[65536];

        Output() {
            int[] pipe = Pipes.pipe();
            readEnd = pipe[0];
            writeEnd = pipe[1];
        }

        /** The helper has its copy: the agent's goes, so the pipe ends when the command's side does. */
        void closeWriteEnd() {
            Sys.close(writeEnd);
            writeEnd = -1;
        }

        void readIf(boolean ready) {
            if (ready && readEnd >= 0) {
                int n = Pipes.readSome(readEnd, buffer);
                if (n > 0) {
                    kept.write(buffer, 0, Math.min(n, MAX_OUTPUT - kept.size()));
                }
                if (n == 0 || kept.size() == MAX_OUTPUT) {
                    close();
                }
            }
        }

        /**
         * What the command wrote before it ended and is still in the pipe (at most a full pipe, 1 MiB,
         * however fast something left in the background writes); nothing is waited for.
         */
        void readWhatIsLeft() {
            for (int reads = 0; reads < 32 && readEnd >= 0 && Pipes.pollReadable(new int[] {readEnd}, 0)[0]; reads++) {
                readIf(true);
            }
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            for (int fd : new int[] {readEnd, writeEnd}) {
                if (fd >= 0) {
                    Sys.close(fd);
                }
            }
            readEnd = -1;
            writeEnd = -1;
        }
    }
}
