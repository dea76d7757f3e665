package io.corral.panel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        try {
            for (String line : script("up", name, Integer.toString(count))) {
                String[] host = line.split(" ");
                hosts.agents.add(RealAgent.startAsTestHost(List.of(SCRIPT.toString(), "run", host[0]), host[1], options));
            }
            return hosts;
        } catch (Exception | Error e) {
            hosts.close();
            throw e;
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + String.join("\n", lines));
        }
        return lines;
    }
}
