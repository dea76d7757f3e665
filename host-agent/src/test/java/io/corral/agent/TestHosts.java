package io.corral.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several host agents on this machine, each in a network namespace of its own on a bridge of its own
 * (scripts/test-hosts.sh), with its own state directory and address: separate hosts as far as they can tell.
 * Closing it destroys their servers, stops them and removes the namespaces, also after a failed test.
 */
public final class TestHosts implements AutoCloseable {
    private static final Path SCRIPT = Path.of("../scripts/test-hosts.sh").toAbsolutePath().normalize();
    private final String name;
    private final List<AgentProcess> agents = new ArrayList<>();

    private TestHosts(String name) {
        this.name = name;
    }

    /** count agents (at most 13) with the busybox template built; name: up to 6 lowercase letters or digits. */
    public static TestHosts start(String name, int count) throws Exception {
        TestHosts hosts = new TestHosts(name);
        try {
            for (String line : script("up", name, Integer.toString(count))) {
                String[] host = line.split(" ");
                AgentProcess agent = new AgentProcess(Files.createTempDirectory("corral-test-host"))
                        .wrappedIn(List.of(SCRIPT.toString(), "run", host[0])).listeningOn(host[1]);
                hosts.agents.add(agent);
                agent.start();
                agent.json("POST", "/v1/templates/busybox/build", null);
            }
            return hosts;
        } catch (Exception | Error e) {
            hosts.close();
            throw e;
        }
    }

    public AgentProcess host(int index) {
        return agents.get(index);
    }

    @Override
    public void close() throws Exception {
        try {
            for (AgentProcess agent : agents) {
                if (!agent.isAlive()) {
                    agent.start(); // its servers are destroyed through it, in its own namespaces
                }
                for (JsonNode server : agent.json("GET", "/v1/servers", null)) {
                    agent.call("DELETE", "/v1/servers/" + server.get("id").asText(), null);
                }
                agent.close();
                io.corral.agent.sys.FileTrees.delete(agent.state());
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
