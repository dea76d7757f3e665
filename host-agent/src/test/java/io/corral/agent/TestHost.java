package io.corral.agent;

import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerManager;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One real agent for the whole test run, on this host (tests run as root), with its state in a
 * fresh directory and the busybox template built once. Servers made by tests are destroyed when
 * the run ends, whatever happened.
 */
public final class TestHost {
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static Agent agent, agentWithoutUserNamespaces;

    private TestHost() {
    }

    /** The agent of most tests: its servers get user namespaces of their own, as on a host with the default setting. */
    public static synchronized Agent agent() {
        if (agent == null) {
            agent = open(true);
        }
        return agent;
    }

    /** A second agent, with its own state directory, on a host that turned user namespaces off. */
    public static synchronized Agent agentWithoutUserNamespaces() {
        if (agentWithoutUserNamespaces == null) {
            agentWithoutUserNamespaces = open(false);
        }
        return agentWithoutUserNamespaces;
    }

    private static Agent open(boolean userNamespaces) {
        try {
            Path state = Files.createTempDirectory("corral-agent-test-");
            Agent opened = Agent.open(state, STOP_GRACE, userNamespaces);
            opened.templates().build("busybox");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (ServerView v : opened.servers().list()) {
                    try {
                        opened.servers().destroy(v.id());
                    } catch (RuntimeException ignored) {
                        // best effort at exit
                    }
                }
                FileTrees.delete(state);
                for (String family : List.of("bridge", "inet")) { // the network rules its servers had
                    try {
                        Command.run("nft", "delete", "table", family, opened.state().instance());
                    } catch (IllegalStateException ignored) {
                        // it had none
                    }
                }
            }));
            return opened;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This host's cgroup version, read apart from the agent's own detection: a cgroup2 mount at
     * /sys/fs/cgroup has cgroup.controllers there; v1 and the hybrid layout have controller directories.
     */
    public static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1";
    }

    public static ServerManager servers() {
        return agent().servers();
    }

    /** Creates and starts a busybox server with the given limits changes. */
    public static ServerView running(String id, LimitsChange limits) {
        return runningFrom(id, "busybox", limits);
    }

    /** Creates and starts a server of the template (built first if this agent has not yet). */
    public static ServerView runningFrom(String id, String template, LimitsChange limits) {
        return runningFrom(agent(), id, template, limits);
    }

    public static synchronized ServerView runningFrom(Agent on, String id, String template, LimitsChange limits) {
        if (on.templates().find(template).isEmpty()) {
            on.templates().build(template);
        }
        on.servers().create(new CreateRequest(id, "host-" + id, template, limits, false));
        return on.servers().start(id);
    }

    public static ServerView running(String id) {
        return running(id, null);
    }

    public static LimitsChange limits(Long memoryMiB, Double cpus, Integer pids, Long diskMiB) {
        return new LimitsChange(memoryMiB, null, cpus, null, pids, diskMiB);
    }

    public static ExecResult exec(String id, String... command) {
        return exec(agent(), id, command);
    }

    public static ExecResult exec(Agent on, String id, String... command) {
        return on.servers().access().exec(id, List.of(command), Duration.ofSeconds(60));
    }

    /** Runs a shell command inside and returns its stdout, failing on a non-zero exit. */
    public static String sh(String id, String script) {
        return sh(agent(), id, script);
    }

    public static String sh(Agent on, String id, String script) {
        ExecResult r = on.servers().access().exec(id, List.of("sh", "-c", script), Duration.ofSeconds(60));
        if (r.exitCode() != 0) {
            throw new AssertionError("'" + script + "' in " + id + " exited " + r.exitCode() + ": " + r.stderr());
        }
        return r.stdout();
    }

    public static void destroyQuietly(String... ids) {
        destroyQuietly(agent(), ids);
    }

    /** The bridges of these networks (crb-NAME), where a test's servers left them. */
    public static void deleteBridges(String... networks) {
        for (String network : networks) {
            if (Files.exists(Path.of("/sys/class/net", "crb-" + network))) {
                Command.run("ip", "link", "delete", "crb-" + network);
            }
        }
    }

    public static void destroyQuietly(Agent on, String... ids) {
        for (String id : ids) {
            try {
                on.servers().destroy(id);
            } catch (AgentException e) {
                if (e.kind() != AgentException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }
}
