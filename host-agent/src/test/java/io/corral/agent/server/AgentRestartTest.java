package io.corral.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.sys.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** kill -9 of the agent loses nothing: running servers are adopted, not duplicated; the rest is put right. */
class AgentRestartTest {

    @Test
    void anAgentKilledWithSigkillAdoptsRestartsAndCleansUp() throws Exception {
        Path state = Files.createTempDirectory("corral-restart-test-");
        try (AgentProcess first = new AgentProcess(state).start()) {
            first.json("POST", "/v1/templates/busybox/build", null);
            for (String id : new String[] {"rs-adopt", "rs-crash"}) {
                first.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\"}");
                first.json("POST", "/v1/servers/" + id + "/start", null);
            }
            int adoptedPid = first.json("GET", "/v1/servers/rs-adopt", null).get("initPid").asInt();
            int crashedPid = first.json("GET", "/v1/servers/rs-crash", null).get("initPid").asInt();
            first.kill();

            // while the agent is down, one server's init dies and a creation is left half done
            Sys.kill(crashedPid, Sys.SIGKILL);
            // a zombie counts as gone: its parent may be this test's JVM, a subreaper once another test opened an agent here
            Await.until(Duration.ofSeconds(10), "crashed init gone", () -> InitProcess.read(crashedPid).isEmpty());
            Sys.reap(crashedPid);
            Path halfCreated = state.resolve("servers/rs-half");
            Files.createDirectories(halfCreated);
            Files.createFile(halfCreated.resolve("creating"));

            try (AgentProcess second = new AgentProcess(state).start()) {
                JsonNode adopted = second.json("GET", "/v1/servers/rs-adopt", null);
                assertEquals("running", adopted.get("state").asText());
                assertEquals(adoptedPid, adopted.get("initPid").asInt(), "the same init, adopted");
                assertEquals(1, initsIn(state, "vs-rs-adopt"), "no second copy was started");

                JsonNode restarted = second.json("GET", "/v1/servers/rs-crash", null);
                assertEquals("running", restarted.get("state").asText(), "it should run, so it was started again");
                assertNotEquals(crashedPid, restarted.get("initPid").asInt());
                assertEquals("rs-crash\n", second.json("POST", "/v1/servers/rs-crash/exec", "{\"command\":[\"hostname\"]}")
                        .get("stdout").asText());

                assertFalse(Files.exists(halfCreated), "half-created server removed");
                assertEquals(2, second.json("GET", "/v1/servers", null).size());
                assertEquals(204, second.call("DELETE", "/v1/servers/rs-adopt", null).statusCode());
                assertEquals(204, second.call("DELETE", "/v1/servers/rs-crash", null).statusCode());
            }
        } finally {
            System.out.println(Files.readString(state.resolve("agent.log")));
            AgentProcess.cleanUp(state);
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
