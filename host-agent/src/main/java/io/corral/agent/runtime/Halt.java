package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.sys.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Ends a server's processes: asks its init to shut down, kills it after the grace period, and waits
 * until the rest are gone too (once PID 1 of a namespace is gone the kernel ends the others).
 */
public final class Halt {
    private static final Logger LOG = Logger.getLogger(Halt.class.getName());
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Halt() {
    }

    /**
     * signal: the template's request to shut down. The empty cgroup stays until destroy: the next start
     * only rewrites its limits.
     */
    public static void run(ServerSpec spec, InitProcess init, int signal, Duration grace, Cgroups cgroups) {
        Processes.kill(init.pid(), signal);
        if (!waitUntilGone(init, grace)) {
            LOG.info("server " + spec.id() + " did not stop within " + grace.toSeconds() + " s; killing it");
            Processes.kill(init.pid(), Processes.SIGKILL);
            if (!waitUntilGone(init, KILL_WAIT)) {
                throw new AgentException(AgentException.Kind.FAILED, "server " + spec.id() + " init " + init.pid()
                        + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
        }
        waitUntilEmpty(cgroups, spec.group());
    }

    /** Removes the server's group once its processes are gone. */
    public static void removeGroup(Cgroups cgroups, String group) {
        waitUntilEmpty(cgroups, group);
        cgroups.remove(group);
    }

    private static boolean waitUntilGone(InitProcess init, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (!init.alive()) {
                Processes.reap(init.pid()); // a zombie is not alive: collected here, not left behind
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            pause();
        }
    }

    private static void waitUntilEmpty(Cgroups cgroups, String group) {
        Instant deadline = Instant.now().plus(KILL_WAIT);
        while (!cgroups.pids(group).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AgentException(AgentException.Kind.FAILED, "processes " + cgroups.pids(group)
                        + " are still in cgroup " + group + " after its init ended; kill them, then try again");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("interrupted", e);
        }
    }
}
