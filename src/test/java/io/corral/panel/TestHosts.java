package io.corral.panel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several real host agents on this machine, each in a network namespace of its own on a bridge of its own
 * (scripts/test-hosts.sh), with its own state directory and address: separate hosts as the panel sees them.
 * Closing it stops them, destroys their servers and removes the namespaces, also after a failed test.
 */
final class TestHosts implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts/test-hosts.sh").toAbsolutePath();
    private final String name;
    private final List<RealAgent> agents = new ArrayList<>();

    private TestHosts(String name) {
        this.name = name;
    }

    /** count agents (at most 13) with the busybox template built; name: up to 6 lowercase letters or digits; options: each agent's. */
    static TestHosts start(String name, int count, String... options) throws Exception {
        TestHosts hosts = new TestHosts(name);
        // all at once: each start waits mostly on its JVM and its template, and a suite starts many of them
        ExecutorService starts = Executors.newCachedThreadPool();
        try {
            List<Future<RealAgent>> started = new ArrayList<>();
            for (String line : script("up", name, Integer.toString(count))) {
                String[] host = line.split(" ");
                started.add(starts.submit(() -> RealAgent.startAsTestHost(List.of(SCRIPT.toString(), "run", host[0]), host[1], options)));
            }
            Exception failed = null;
            for (Future<RealAgent> agent : started) {
                try {
                    hosts.agents.add(agent.get());
                } catch (ExecutionException e) { // the others are awaited too, so that close stops every agent that started
                    if (failed == null) {
                        failed = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
            return hosts;
        } catch (Exception | Error e) {
            hosts.close();
            throw e;
        } finally {
            starts.shutdown();
        }
    }

    RealAgent host(int index) {
        return agents.get(index);
    }

    @Override
    public void close() throws Exception {
        try {
            for (RealAgent agent : agents) {
                agent.close();
            }
        } finally {
            script("down", name);
        }
    }

    private static List<String> script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        // its warnings go to the test's log, not among the lines read as hosts
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (its errors are in the test's log): " + String.join("\n", lines));
        }
        return lines;
    }
}
