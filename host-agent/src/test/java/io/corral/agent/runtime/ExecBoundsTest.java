package io.corral.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile commands through the agent's API: each exec ends at its timeout with everything it
 * started, execs are bounded per server and per host with a 429 naming the bound, the agent's
 * control paths (host facts, samples, start and stop) keep answering while 50 run at once, and
 * neither floods of output nor refused commands cost the agent anything that stays.
 */
class ExecBoundsTest {
    static final int HOSTILE = 50, TIMEOUT_SECONDS = 15;
    /** Enough servers that their own bounds add up past the host's. */
    static final List<String> FLOODED = List.of("flood-1", "flood-2", "flood-3", "flood-4", "flood-5");
    static Path state;
    static AgentProcess agent;

    @BeforeAll
    static void serversToFloodAndOneToStartAndStop() throws Exception {
        state = Files.createTempDirectory("corral-exec-bounds-");
        agent = new AgentProcess(state).start();
        agent.json("POST", "/v1/templates/busybox/build", null);
        for (String id : FLOODED) {
            agent.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\"}");
            agent.json("POST", "/v1/servers/" + id + "/start", null);
        }
        agent.json("POST", "/v1/servers", "{\"id\":\"calm\",\"hostname\":\"calm\",\"template\":\"busybox\"}");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        agent.close();
        AgentProcess.cleanUp(state);
    }

    @Test
    void fiftyHostileExecsAreBoundedAndTheAgentKeepsAnswering() throws Exception {
        int idle = processes("flood-1");
        ExecutorService customers = Executors.newFixedThreadPool(HOSTILE);
        try {
            List<Future<HttpResponse<String>>> execs = new ArrayList<>();
            for (int i = 0; i < HOSTILE; i++) {
                String server = FLOODED.get(i % FLOODED.size());
                execs.add(customers.submit(() -> agent.call("POST", "/v1/servers/" + server + "/exec",
                        "{\"command\":[\"sh\",\"-c\",\"sleep 999999 & exec sleep 999999\"],\"timeoutSeconds\":" + TIMEOUT_SECONDS + "}")));
            }
            // the refusals come back at once; the accepted execs hold their workers until their timeout
            awaitRefused(execs, HOSTILE - ExecSlots.PER_HOST);
            // while they hold: the control paths answer, and a server starts and stops
            assertFalse(execs.stream().allMatch(Future::isDone), "the accepted execs still run");
            assertEquals(200, agent.call("GET", "/v1/host", null).statusCode());
            assertEquals(200, agent.call("GET", "/v1/samples?after=0", null).statusCode());
            assertEquals("running", agent.json("POST", "/v1/servers/calm/start", null).get("state").asText());
            HttpResponse<String> onAFullHost = agent.call("POST", "/v1/servers/calm/exec", "{\"command\":[\"hostname\"]}");
            assertEquals(429, onAFullHost.statusCode(), onAFullHost.body());
            assertTrue(onAFullHost.body().contains("this host already runs " + ExecSlots.PER_HOST + " commands"), onAFullHost.body());
            assertEquals("stopped", agent.json("POST", "/v1/servers/calm/stop", null).get("state").asText());
            assertFalse(execs.stream().allMatch(Future::isDone), "all of that while the hostile execs still ran");

            int timedOut = 0;
            for (Future<HttpResponse<String>> exec : execs) {
                HttpResponse<String> r = exec.get();
                if (r.statusCode() == 200) {
                    JsonNode result = Json.MAPPER.readTree(r.body());
                    assertTrue(result.get("timedOut").asBoolean(), r.body());
                    assertEquals(124, result.get("exitCode").asInt());
                    timedOut++;
                }
            }
            assertEquals(ExecSlots.PER_HOST, timedOut, "at most " + ExecSlots.PER_HOST + " at once on the host");
            for (String server : FLOODED) {
                io.corral.agent.Await.until(java.time.Duration.ofSeconds(10),
                        "the timeout killed everything the execs started in " + server, () -> processes(server) == idle);
            }
        } finally {
            customers.shutdownNow();
        }
    }

    @Test
    void aFloodOfOutputIsCutAndRefusedCommandsLeaveNothingOpen() throws Exception {
        agent.json("POST", "/v1/servers/calm/start", null);
        try {
            JsonNode flood = agent.json("POST", "/v1/servers/calm/exec", "{\"command\":[\"yes\"],\"timeoutSeconds\":" + TIMEOUT_SECONDS + "}");
            assertFalse(flood.get("timedOut").asBoolean(), "the writer is stopped once its output is cut, not at the timeout");
            assertEquals(1 << 20, flood.get("stdout").asText().length());
            long open = agent.openDescriptors();
            String tooLong = "{\"command\":[\"echo\",\"" + "A".repeat(140_000) + "\"]}";
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> refused = agent.call("POST", "/v1/servers/calm/exec", tooLong);
                assertEquals(400, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("bytes in all"), refused.body());
            }
            assertEquals(open, agent.openDescriptors(), "no descriptor is left behind by refused commands");
        } finally {
            agent.json("POST", "/v1/servers/calm/stop", null);
        }
    }

    @Test
    void anExecEndsWhenItsCommandDoesThoughItLeftAProcessHoldingItsOutput() throws Exception {
        agent.json("POST", "/v1/servers/calm/start", null);
        try {
            JsonNode result = agent.json("POST", "/v1/servers/calm/exec",
                    "{\"command\":[\"sh\",\"-c\",\"sleep 999999 & echo started\"],\"timeoutSeconds\":" + TIMEOUT_SECONDS + "}");
            assertFalse(result.get("timedOut").asBoolean(), result.toString());
            assertEquals(0, result.get("exitCode").asInt());
            assertEquals("started\n", result.get("stdout").asText());
        } finally {
            agent.json("POST", "/v1/servers/calm/stop", null);
        }
    }

    private static int processes(String server) {
        try {
            return agent.json("GET", "/v1/servers/" + server + "/stats", null).get("cgroup").get("processes").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitRefused(List<Future<HttpResponse<String>>> execs, int expected) throws Exception {
        io.corral.agent.Await.until(java.time.Duration.ofSeconds(TIMEOUT_SECONDS - 5), expected + " execs refused",
                () -> execs.stream().filter(Future::isDone).count() >= expected);
        for (Future<HttpResponse<String>> exec : execs) {
            if (exec.isDone()) {
                HttpResponse<String> r = exec.get();
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("the most it may at once"), r.body());
            }
        }
    }
}
