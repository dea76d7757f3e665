package io.corral.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Json;
import io.corral.agent.TestHost;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The panel's view of the agent: /v1 over HTTP, every call authenticated with the host's secret. */
class ApiTest {
    static Path state;
    static AgentProcess agent;

    @BeforeAll
    static void startAgent() throws Exception {
        state = Files.createTempDirectory("corral-api-test-");
        agent = new AgentProcess(state).start();
        assertEquals(200, agent.call("POST", "/v1/templates/busybox/build", null).statusCode());
    }

    @AfterAll
    static void stopAgent() throws Exception {
        agent.close();
        AgentProcess.cleanUp(state);
    }

    @Test
    void withoutTheRightSecretNothingIsDone() throws Exception {
        String create = "{\"id\":\"api-unauth\",\"hostname\":\"web\",\"template\":\"busybox\"}";
        HttpResponse<String> none = agent.call("POST", "/v1/servers", create, null);
        assertEquals(401, none.statusCode());
        assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElse(""));
        assertEquals(401, agent.call("POST", "/v1/servers", create, "wrong").statusCode());
        assertEquals(401, agent.call("GET", "/v1/host", null, AgentProcess.SECRET + "x").statusCode());
        assertEquals(404, agent.call("GET", "/v1/servers/api-unauth", null).statusCode(), "nothing was created");
        assertTrue(Files.notExists(state.resolve("servers/api-unauth")));
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-bad\",\"hostname\":\"-x\",\"template\":\"busybox\"}"), 400, "hostname");
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"../x\",\"hostname\":\"x\",\"template\":\"busybox\"}"), 400, "id");
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"nope\"}"), 400, "template");
        assertProblem(agent.call("POST", "/v1/servers",
                "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":\"lots\"}}"), 400, "limits.memoryMiB");
        // a count is a whole number: 1.5 is refused, not cut to 1
        assertProblem(agent.call("POST", "/v1/servers",
                "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"busybox\",\"limits\":{\"networkInMbit\":1.5}}"), 400, "limits.networkInMbit");
        assertProblem(agent.call("POST", "/v1/servers",
                "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"busybox\",\"limits\":{\"diskIops\":-1}}"), 400, "limits.diskIops");
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-bad\",\"colour\":\"red\"}"), 400, "colour");
        assertProblem(agent.call("POST", "/v1/servers", "{not json"), 400, "body");
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"busybox\","
                + "\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":" + agent.port() + ",\"serverPort\":22}]}"), 400, "forwards[0].hostPort");
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-bad\",\"hostname\":\"x\",\"template\":\"busybox\","
                + "\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":22}]}"), 400, "forwards");
        assertProblem(agent.call("GET", "/v1/servers/api-missing", null), 404, null);
        assertProblem(agent.call("GET", "/v1/nothing-here", null), 404, null);
        assertTrue(Files.notExists(state.resolve("servers/api-bad")));
    }

    @Test
    void aServerThroughItsWholeLifeOverHttp() throws Exception {
        JsonNode created = agent.json("POST", "/v1/servers",
                "{\"id\":\"api-1\",\"hostname\":\"web1\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":128,\"cpus\":0.5}}");
        assertEquals("stopped", created.get("state").asText());
        assertEquals(128, created.get("limits").get("memoryMiB").asInt());
        assertProblem(agent.call("POST", "/v1/servers", "{\"id\":\"api-1\",\"hostname\":\"web1\",\"template\":\"busybox\"}"), 409, null);

        assertEquals("running", agent.json("POST", "/v1/servers/api-1/start", null).get("state").asText());
        JsonNode exec = agent.json("POST", "/v1/servers/api-1/exec", "{\"command\":[\"sh\",\"-c\",\"hostname; echo oops >&2; exit 3\"]}");
        assertEquals("web1\n", exec.get("stdout").asText());
        assertEquals("oops\n", exec.get("stderr").asText());
        assertEquals(3, exec.get("exitCode").asInt());

        JsonNode limits = agent.json("PUT", "/v1/servers/api-1/limits", "{\"pids\":99}");
        assertEquals(99, limits.get("limits").get("pids").asInt());
        JsonNode changed = agent.json("PUT", "/v1/servers/api-1/limits?operation=7", "{\"pids\":98}");
        assertEquals(98, changed.get("limits").get("pids").asInt());
        assertEquals(7, changed.get("limitsOperation").asLong(), "the last operation shown, for a panel restored to an earlier point");
        assertProblem(agent.call("PUT", "/v1/servers/api-1/limits?operation=6", "{\"pids\":99}"), 412, null);
        JsonNode held = agent.json("GET", "/v1/servers/api-1/limits", null);
        assertEquals(98, held.get("pids").asInt(), "an operation older than the last changed nothing");
        assertEquals(128, held.get("memoryMiB").asInt());
        assertEquals(0.5, held.get("cpus").asDouble());
        assertTrue(agent.json("GET", "/v1/servers/api-1/stats", null).get("cgroup").get("processes").asInt() >= 1);
        assertEquals("{\"forwards\":[]}", agent.json("GET", "/v1/servers/api-1/forwards", null).toString());
        for (String change : List.of("forwards", "firewall", "limits")) {
            assertProblem(agent.call("PUT", "/v1/servers/api-1/" + change, "null"), 400, "body");
        }
        assertProblem(agent.call("PUT", "/v1/servers/api-1/forwards", "{\"forwards\":[{\"protocol\":\"udp\",\"hostPort\":\"lots\"}]}"),
                400, "forwards[0].hostPort");
        assertProblem(agent.call("PUT", "/v1/servers/api-1/forwards", "{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":" + agent.port()
                + ",\"serverPort\":22}]}"), 400, "forwards[0].hostPort");
        assertProblem(agent.call("PUT", "/v1/servers/api-1/forwards", "{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":2201,\"serverPort\":22}]}"),
                400, "forwards");
        JsonNode list = agent.json("GET", "/v1/servers", null);
        assertEquals("api-1", list.get(0).get("id").asText());

        JsonNode facts = agent.json("GET", "/v1/host", null);
        assertEquals(TestHost.cgroupVersion(), facts.get("cgroupVersion").asText());
        assertTrue(facts.get("cores").asInt() >= 1);
        assertEquals(128, facts.get("allocatedMemoryMiB").asInt());
        assertEquals("[\"busybox\"]", facts.get("templates").toString(), "the installed templates");
        assertEquals(io.corral.agent.sys.HostTools.onPath("debootstrap"), facts.get("buildableTemplates").toString().contains("\"debian\""),
                "Debian can be built where debootstrap is installed: " + facts.get("buildableTemplates"));

        assertEquals("stopped", agent.json("POST", "/v1/servers/api-1/stop", null).get("state").asText());
        HttpResponse<String> again = agent.call("POST", "/v1/servers/api-1/stop", null);
        assertProblem(again, 409, null);
        assertTrue(again.body().contains("it is stopped, stop needs running"), again.body());
        assertEquals(204, agent.call("DELETE", "/v1/servers/api-1", null).statusCode());
        assertEquals(404, agent.call("GET", "/v1/servers/api-1", null).statusCode());
    }

    @Test
    void oneCallCreatesAndStartsAServer() throws Exception {
        JsonNode created = agent.json("POST", "/v1/servers",
                "{\"id\":\"api-2\",\"hostname\":\"web2\",\"template\":\"busybox\",\"start\":true}");
        try {
            assertEquals("running", created.get("state").asText());
            assertTrue(Files.exists(Path.of("/proc/" + created.get("initPid").asInt())), "its init runs");
            assertEquals("web2\n", agent.json("POST", "/v1/servers/api-2/exec", "{\"command\":[\"hostname\"]}").get("stdout").asText());
        } finally {
            agent.call("DELETE", "/v1/servers/api-2", null);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = Json.MAPPER.readTree(response.body());
        assertEquals(status, problem.get("status").asInt());
        if (field != null) {
            assertEquals(field, problem.get("field").asText(), response.body());
            assertTrue(problem.get("detail").asText().startsWith(field), response.body());
        }
    }
}
