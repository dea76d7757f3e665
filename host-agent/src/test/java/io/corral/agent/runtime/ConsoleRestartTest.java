package io.corral.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A server writing to its console at full speed while the agent is killed with -9: the log goes on
 * being written, within its cap, and the next agent reads it through its API; a restart of the server
 * adds to it, and destroy removes it.
 */
class ConsoleRestartTest {
    private static final String ID = "con-restart";

    @Test
    void theLogIsWrittenWhileTheAgentIsDeadAndReadByTheNextOne() throws Exception {
        Path state = Files.createTempDirectory("corral-console-test-");
        Path file = state.resolve("servers/" + ID + "/console.log");
        try {
            long atKill;
            try (AgentProcess first = new AgentProcess(state).start()) {
                first.json("POST", "/v1/templates/busybox/build", null);
                first.json("POST", "/v1/servers", "{\"id\":\"" + ID + "\",\"hostname\":\"writer\",\"template\":\"busybox\","
                        + "\"limits\":{\"cpus\":0.2},\"start\":true}");
                first.json("POST", "/v1/servers/" + ID + "/exec", "{\"command\":[\"sh\",\"-c\","
                        + "\"i=0; while :; do i=$((i+1)); echo line $i; done >/proc/1/fd/1 2>&1 </dev/null &\"]}");
                Await.until(Duration.ofSeconds(20), "the writer's lines", () -> text(first, "?after=0").contains("\nline 1000\n"));
                first.kill();
                atKill = ConsoleLog.read(file, null, 1).next();
            }
            Await.until(Duration.ofSeconds(60), "twice the ring written with no agent",
                    () -> ConsoleLog.read(file, null, 1).next() > atKill + 2L * ConsoleLog.RING);
            assertEquals(ConsoleLog.HEADER + ConsoleLog.RING, Files.size(file), "within its cap all the while");

            try (AgentProcess second = new AgentProcess(state).start()) {
                JsonNode end = second.json("GET", "/v1/servers/" + ID + "/console?limit=4096", null);
                assertTrue(end.get("next").asLong() > atKill + 2L * ConsoleLog.RING);
                assertEquals(4096, decode(end).length());
                assertTrue(decode(end).matches("(?s).*\nline \\d+\n"), decode(end));

                second.json("POST", "/v1/servers/" + ID + "/restart", null);
                Await.until(Duration.ofSeconds(20), "the restart's line at the log's end",
                        () -> text(second, "").contains("] starting writer from template busybox\n"));
                assertTrue(text(second, "").contains("\nline "), "the lines before the restart are kept");

                assertEquals(204, second.call("DELETE", "/v1/servers/" + ID, null).statusCode());
                assertFalse(Files.exists(file), "the log goes with the server");
                assertEquals(404, second.call("GET", "/v1/servers/" + ID + "/console", null).statusCode());
            }
        } finally {
            AgentProcess.cleanUp(state);
        }
    }

    /** The end of the log as the API gives it. */
    private static String text(AgentProcess agent, String query) {
        try {
            return decode(agent.json("GET", "/v1/servers/" + ID + "/console" + query, null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String decode(JsonNode chunk) {
        return new String(Base64.getDecoder().decode(chunk.get("data").asText()), StandardCharsets.UTF_8);
    }
}
