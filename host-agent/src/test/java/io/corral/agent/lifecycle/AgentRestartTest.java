package io.corral.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import io.corral.agent.ToolFault;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.sys.Command;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.sys.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the agent loses nothing: running servers are adopted, not duplicated; a server whose init
 * died meanwhile is started again; one whose creation the kill cut short is removed; an adopted one is held to
 * the limits its spec says.
 */
class AgentRestartTest {

    @Test
    void anAgentKilledWithSigkillAdoptsRestartsAndCleansUp() throws Exception {
        Path state = Files.createTempDirectory("corral-restart-test-");
        Path halfCreated = state.resolve("servers/rs-half");
        try {
            killedWhileCreating(state, "rs-half");
        } catch (Exception | AssertionError e) {
            AgentProcess.cleanUp(state);
            throw e;
        }
        try (AgentProcess first = new AgentProcess(state).start()) {
            assertFalse(Files.exists(halfCreated), "the server whose creation was cut short is removed at start");
            assertFalse(Command.run("losetup", "-a").contains(state.toString()), "and no loop device of it is left");
            first.json("POST", "/v1/templates/busybox/build", null);
            for (String id : new String[] {"rs-adopt", "rs-crash"}) {
                first.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\"}");
                first.json("POST", "/v1/servers/" + id + "/start", null);
            }
            int adoptedPid = first.json("GET", "/v1/servers/rs-adopt", null).get("initPid").asInt();
            int crashedPid = first.json("GET", "/v1/servers/rs-crash", null).get("initPid").asInt();
            first.kill();

            // while the agent is down, one server's init dies, and the other holds a memory limit its spec does not say,
            // as an agent killed between putting a change of limits on the cgroup and saving it leaves
            Cgroups cgroups = Cgroups.detect(new io.corral.agent.StateDir(state).cgroupParent());
            Path memoryMax = cgroups.file("memory", "vs-rs-adopt", cgroups.version().equals("v2") ? "memory.max" : "memory.limit_in_bytes");
            String specMemory = Files.readString(memoryMax).strip();
            assertNotEquals(String.valueOf(48L << 20), specMemory);
            Files.writeString(memoryMax, String.valueOf(48L << 20));
            Processes.kill(crashedPid, Processes.SIGKILL);
            // a zombie counts as gone: its parent may be this test's JVM, a subreaper once another test opened an agent here
            Await.until(Duration.ofSeconds(10), "crashed init gone", () -> InitProcess.read(crashedPid).isEmpty());
            Processes.reap(crashedPid);

            try (AgentProcess second = new AgentProcess(state).start()) {
                JsonNode adopted = second.json("GET", "/v1/servers/rs-adopt", null);
                assertEquals("running", adopted.get("state").asText());
                assertEquals(adoptedPid, adopted.get("initPid").asInt(), "the same init, adopted");
                assertEquals(1, initsIn(state, "vs-rs-adopt"), "no second copy was started");
                assertEquals(specMemory, Files.readString(memoryMax).strip(), "held again to the memory its spec says");

                JsonNode restarted = second.json("GET", "/v1/servers/rs-crash", null);
                assertEquals("running", restarted.get("state").asText(), "it should run, so it was started again");
                assertNotEquals(crashedPid, restarted.get("initPid").asInt());
                assertEquals("rs-crash\n", second.json("POST", "/v1/servers/rs-crash/exec", "{\"command\":[\"hostname\"]}")
                        .get("stdout").asText());

                assertEquals(2, second.json("GET", "/v1/servers", null).size());
                assertEquals(204, second.call("DELETE", "/v1/servers/rs-adopt", null).statusCode());
                assertEquals(204, second.call("DELETE", "/v1/servers/rs-crash", null).statusCode());
            }
        } finally {
            System.out.println(Files.readString(state.resolve("agent.log")));
            AgentProcess.cleanUp(state);
        }
    }

    /**
     * An agent killed with SIGKILL in the middle of creating a server: while mkfs.ext4 makes its disk,
     * after its directory, spec and disk image exist.
     */
    private static void killedWhileCreating(Path state, String id) throws Exception {
        Path started = state.resolve("mkfs-started");
        try (AgentProcess agent = new AgentProcess(state).withToolsFirst(ToolFault.hanging("mkfs.ext4", started)).start()) {
            agent.json("POST", "/v1/templates/busybox/build", null);
            Thread create = new Thread(() -> {
                try {
                    agent.call("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\"}");
                } catch (java.io.IOException e) {
                    // the agent was killed under it: expected
                }
            });
            create.start();
            Await.until(AgentProcess.START, "mkfs.ext4 started", () -> started.toFile().length() > 0);
            assertTrue(Files.exists(state.resolve("servers/" + id + "/spec.json")), "the server was half made");
            agent.kill();
            Processes.kill(Integer.parseInt(Files.readString(started).trim()), Processes.SIGKILL);
            create.join();
        }
    }

    private static long initsIn(Path state, String group) {
        Cgroups cgroups = Cgroups.detect(new io.corral.agent.StateDir(state).cgroupParent());
        return cgroups.pids(group).stream().filter(pid -> {
            try {
                return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .anyMatch(l -> l.startsWith("NSpid:") && l.trim().endsWith("\t1") && l.trim().split("\\s+").length > 2);
            } catch (java.io.IOException e) {
                return false;
            }
        }).count();
    }
}
