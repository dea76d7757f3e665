package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Json;
import io.corral.agent.Await;
import io.corral.agent.StateDir;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.Processes;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Through the API of a real agent process: an agent killed with -9 and started again keeps a running
 * server's network as it was (the same rules, its firewall's included, once, its counters going on);
 * after a host reboot (simulated: the server's processes killed, the bridge and the agent's tables
 * deleted) the agent makes the bridge and the rules again for the server it starts. The firewall is
 * given with the create, answered back, and a bad one refused as problem+json naming the field.
 */
class NetworkRestartTest {
    static final String ID = "net-restart";
    static final String FIREWALL = "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"icmp\"}]}";

    @Test
    void anAgentRestartKeepsTheNetworkAndAHostRebootGetsItBack() throws Exception {
        Path state = Files.createTempDirectory("corral-net-restart-");
        String name = "tr" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36), bridge = "crb-" + name;
        String table = StateDir.of(state).instance();
        Outside outside = null;
        try {
            String port, portChain;
            int initPid;
            try (AgentProcess first = new AgentProcess(state).start()) {
                first.json("POST", "/v1/templates/busybox/build", null);
                JsonNode created = first.json("POST", "/v1/servers", "{\"id\":\"" + ID + "\",\"hostname\":\"" + ID
                        + "\",\"template\":\"busybox\",\"start\":true,\"network\":{\"name\":\"" + name + "\",\"kind\":\"public\","
                        + "\"tenant\":\"acme\",\"ipv4\":\"198.51.100.10/25\",\"gateway4\":\"198.51.100.1\"},\"firewall\":" + FIREWALL + "}");
                JsonNode network = created.get("network");
                assertEquals("198.51.100.10/25", network.get("ipv4").asText(), "the API answers the network it was given");
                port = network.get("hostInterface").asText();
                assertEquals(Port.of(table, ID).mac(), network.get("mac").asText());
                initPid = created.get("initPid").asInt();
                outside = Outside.onBridge(bridge, "198.51.100.100/25");
                awaitReachable(outside);
                portChain = Command.run("nft", "list", "chain", "bridge", table, "port-" + port)
                        + Command.run("nft", "list", "chain", "bridge", table, "fw-" + port);
                assertEquals(Json.MAPPER.readTree(FIREWALL), first.json("GET", "/v1/servers/" + ID + "/firewall", null));
                HttpResponse<String> refused = first.call("PUT", "/v1/servers/" + ID + "/firewall",
                        "{\"defaultInbound\":\"allow\",\"rules\":[{\"action\":\"deny\",\"protocol\":\"udp\",\"ports\":\"70000\"}]}");
                assertEquals(400, refused.statusCode(), refused.body());
                assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
                assertEquals("rules[0].ports", Json.MAPPER.readTree(refused.body()).get("field").asText(), refused.body());
                assertEquals(Json.MAPPER.readTree(FIREWALL), first.json("GET", "/v1/servers/" + ID + "/firewall", null), "unchanged");
                first.kill();
            }
            try (AgentProcess second = new AgentProcess(state).start()) {
                JsonNode adopted = second.json("GET", "/v1/servers/" + ID, null);
                assertEquals(initPid, adopted.get("initPid").asInt(), "adopted, not started again");
                assertEquals(portChain, Command.run("nft", "list", "chain", "bridge", table, "port-" + port)
                        + Command.run("nft", "list", "chain", "bridge", table, "fw-" + port), "the same rules");
                String rules = Command.run("nft", "list", "table", "bridge", table);
                assertEquals(1, count(rules, ": jump port-" + port), "the port's rules are there once:\n" + rules);
                assertEquals(1, count(rules, "iifname vmap @ports"), rules);
                assertEquals(1, count(rules, ": jump fw-" + port), rules);
                assertTrue(outside.succeeds("busybox", "ping", "-c", "1", "-W", "2", "198.51.100.10"), "still reachable");
                // the adopted server's counters in a sample (the first round may come before adoption has found it)
                Await.until(Duration.ofSeconds(25), "a sample with the adopted server's traffic", () -> {
                    try {
                        return second.json("GET", "/v1/samples?after=0", null).toString().contains("\"networkOutBytes\"");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                second.kill();
            }

            reboot(initPid, bridge, table);
            try (AgentProcess third = new AgentProcess(state).start()) {
                assertEquals("running", third.json("GET", "/v1/servers/" + ID, null).get("state").asText(), "started again");
                assertTrue(Files.exists(Path.of("/sys/class/net", bridge)), "the bridge is made again");
                Command.run("ip", "link", "set", outside.hostEnd, "master", bridge);
                awaitReachable(outside);
                assertTrue(Command.run("nft", "list", "table", "bridge", table).contains("jump port-" + port), "and the rules");
                assertTrue(Command.run("nft", "list", "chain", "bridge", table, "fw-" + port).contains("drop"), "its firewall's too");
                assertEquals(Json.MAPPER.readTree(FIREWALL), third.json("GET", "/v1/servers/" + ID + "/firewall", null));
                assertEquals(204, third.call("DELETE", "/v1/servers/" + ID, null).statusCode());
                assertFalse(Files.exists(Path.of("/sys/class/net", port)));
                assertFalse(Command.run("nft", "list", "ruleset").contains(port));
                assertTrue(Command.run("nft", "list", "tables").lines().noneMatch(line -> line.endsWith(" " + table)),
                        "the agent's tables go with its last server on a network");
            }
        } finally {
            if (outside != null) {
                outside.close();
            }
            cleanUp(state, bridge, table);
        }
    }

    /** A simulated host reboot: the server's processes, the bridge and the agent's tables are gone. */
    static void reboot(int initPid, String bridge, String table) {
        Processes.kill(initPid, Processes.SIGKILL);
        Await.until(Duration.ofSeconds(10), "the server's init gone", () -> InitProcess.read(initPid).isEmpty());
        Processes.reap(initPid);
        Command.run("ip", "link", "delete", bridge);
        for (String family : List.of("bridge", "inet")) {
            Command.run("nft", "delete", "table", family, table);
        }
    }

    /** The agent's state, servers, bridge and tables gone, whatever the test left. */
    static void cleanUp(Path state, String bridge, String table) {
        AgentProcess.cleanUp(state);
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            Command.run("ip", "link", "delete", bridge);
        }
        for (String family : List.of("bridge", "inet")) {
            try {
                Command.run("nft", "delete", "table", family, table);
            } catch (IllegalStateException ignored) {
                // not made, or gone
            }
        }
    }

    private static void awaitReachable(Outside outside) {
        Await.until(Duration.ofSeconds(10), "the server answers the outside",
                () -> outside.succeeds("busybox", "ping", "-c", "1", "-W", "1", "198.51.100.10"));
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
