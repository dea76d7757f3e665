package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes pending credentials into a running server: corral-enter (src/main/c/exec.c, credentials.c)
 * reads the agent's files on the host, enters the server's namespaces through a pidfd of its init,
 * becomes its root, confines itself and writes them beneath the server's root with no link followed.
 * A server whose /root/.ssh (say) is a link or no directory is refused naming the path.
 */
public final class CredentialsWriter {
    /** It writes two small files: what takes longer than this is stuck, and is killed. */
    private static final long DEADLINE_MILLIS = 10_000;

    private CredentialsWriter() {
    }

    /**
     * pending: corral-enter's -a and -s options; joinFiles: the server's cgroups' files it joins; confinement: its
     * options for what holds the server's processes in.
     */
    public static void write(InitProcess init, boolean ownUsers, List<String> pending, List<Path> joinFiles, List<String> confinement) {
        List<String> args = new ArrayList<>(List.of("credentials", "-p", Integer.toString(init.pid()),
                "-t", Long.toString(init.startTicks())));
        if (ownUsers) {
            args.add("-u");
        }
        args.addAll(pending);
        joinFiles.forEach(file -> args.addAll(List.of("-j", file.toString())));
        args.addAll(confinement);
        int[] errors = Pipes.pipe();
        int helper;
        try {
            helper = EnterHelper.spawn(args, List.of(), -1, -1, errors[1]);
        } finally {
            Sys.close(errors[1]);
        }
        try {
            if (!Pipes.pollReadable(new int[] {errors[0]}, DEADLINE_MILLIS)[0]) {
                Processes.kill(helper, Processes.SIGKILL);
            }
            String error = Pipes.readAll(errors[0]).trim();
            int status = Processes.awaitExit(helper);
            if (status != 0) {
                throw AgentException.conflict("the keys could not be written into the server: "
                        + (error.isEmpty() ? "its writer ended with " + status : error.replaceFirst("^corral-enter: ", "")));
            }
        } finally {
            Sys.close(errors[0]);
        }
    }
}
