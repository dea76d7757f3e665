package io.corral.agent.containment;

import io.corral.agent.sys.Spawn;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * corral-enter (src/main/c), the small static program that takes every step into a server the agent
 * cannot or must not take itself: booting a server, running a command in one, making a user
 * namespace for a range's map. It ships inside the jar and is loaded once into a sealed memory file,
 * from which every copy runs: no file on the host is executed, and nothing a server can reach (its
 * processes may see a helper's /proc entry) can change the program, as runc protects its own binary.
 */
public final class EnterHelper {
    private static final String RESOURCE = "corral-enter";
    private static int program = -1;

    private EnterHelper() {
    }

    /** Starts corral-enter with the arguments (after its name) and stdio (-1: /dev/null); returns its pid. */
    public static int spawn(List<String> args, List<String> env, int stdinFd, int stdoutFd, int stderrFd) {
        return spawn(args, env, stdinFd, stdoutFd, stderrFd, -1);
    }

    /** As above, with consoleFd (-1: none) as its descriptor 4: the pipe to a server's console log. */
    public static int spawn(List<String> args, List<String> env, int stdinFd, int stdoutFd, int stderrFd, int consoleFd) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(RESOURCE);
        argv.addAll(args);
        return Spawn.spawnFromDescriptor(program(), argv, env, stdinFd, stdoutFd, stderrFd, consoleFd);
    }

    /** Loads the program now, so a missing one stops the agent at start rather than at the first boot. */
    public static synchronized int program() {
        if (program < 0) {
            byte[] bytes;
            try (InputStream in = EnterHelper.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the agent was built without " + RESOURCE
                            + " (its C source is built by Maven with gcc; is gcc with libc6-dev installed?)");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int fd = Sys.memfd(RESOURCE);
            Sys.fillAndSeal(fd, bytes);
            program = fd;
        }
        return program;
    }
}
