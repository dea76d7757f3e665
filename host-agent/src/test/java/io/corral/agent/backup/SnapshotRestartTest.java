package io.corral.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.sys.FileSystemFreeze;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Snapshots and backups through the agent's API, across an agent killed with SIGKILL: everything stays listed,
 * and a server the dead agent left frozen (its processes and its file system, as in the middle of a snapshot)
 * runs again once the next agent has adopted it.
 */
class SnapshotRestartTest {
    @Test
    void snapshotsAndBackupsOutliveTheAgentAndAdoptionThaws() throws Exception {
        Path state = Files.createTempDirectory("corral-snapshot-restart-");
        String id = "sr-1";
        String server = "/v1/servers/" + id;
        Cgroups cgroups = Cgroups.detect(StateDir.of(state).cgroupParent());
        Path disk = state.resolve("servers/" + id + "/disk");
        try {
            try (AgentProcess first = new AgentProcess(state).start()) {
                first.json("POST", "/v1/templates/busybox/build", null);
                first.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"sr\",\"template\":\"busybox\",\"start\":true}");
                exec(first, id, "echo one > /root/note");
                assertEquals(201, first.call("POST", server + "/snapshots", "{\"id\":\"s1\"}").statusCode());
                HttpResponse<String> again = first.call("POST", server + "/snapshots", "{\"id\":\"s1\"}");
                assertEquals(200, again.statusCode(), "a retry answers the snapshot made");
                JsonNode snapshot = Json.MAPPER.readTree(again.body());
                assertEquals("s1", snapshot.get("id").asText());
                assertTrue(snapshot.get("wasRunning").asBoolean());
                assertEquals(201, first.call("POST", server + "/backups", "{\"id\":\"b1\"}").statusCode());
                assertEquals(200, first.call("POST", server + "/backups", "{\"id\":\"b1\"}").statusCode());

                HttpResponse<String> bad = first.call("POST", server + "/snapshots", "{\"id\":\"Bad Id\"}");
                assertEquals(400, bad.statusCode());
                assertEquals("id", Json.MAPPER.readTree(bad.body()).get("field").asText());
                HttpResponse<String> absent = first.call("POST", server + "/restore", "{\"serverId\":\"" + id + "\",\"backupId\":\"nope\"}");
                assertEquals(404, absent.statusCode(), absent.body());

                // as if the agent died in the middle of a snapshot
                assertTrue(cgroups.freeze("vs-" + id, Duration.ofSeconds(5)));
                FileSystemFreeze.freeze(disk);
                first.kill();
            }
            try (AgentProcess second = new AgentProcess(state).start()) {
                assertFalse(Frozen.group(cgroups, "vs-" + id), "adoption thawed the server's processes");
                assertFalse(FileSystemFreeze.thaw(disk), "and its file system");
                assertEquals("one\n", exec(second, id, "cat /root/note"));

                assertEquals(1, second.json("GET", server + "/snapshots", null).size());
                assertEquals(1, second.json("GET", server + "/backups", null).size());
                JsonNode listed = second.json("GET", "/v1/backups?serverId=" + id, null);
                assertEquals("b1", listed.get(0).get("id").asText());
                assertEquals(64, listed.get(0).get("sha256").asText().length());

                exec(second, id, "echo two > /root/note");
                assertEquals("running", second.json("POST", server + "/snapshots/s1/restore", null).get("state").asText());
                assertEquals("one\n", exec(second, id, "cat /root/note"));
                exec(second, id, "echo three > /root/note");
                assertEquals("running", second.json("POST", server + "/restore",
                        "{\"serverId\":\"" + id + "\",\"backupId\":\"b1\"}").get("state").asText());
                assertEquals("one\n", exec(second, id, "cat /root/note"));

                assertEquals(204, second.call("DELETE", server + "/snapshots/s1", null).statusCode());
                assertEquals(204, second.call("DELETE", server + "/snapshots/s1", null).statusCode());
                assertEquals(204, second.call("DELETE", server, null).statusCode());
                assertEquals(1, second.json("GET", "/v1/backups?serverId=" + id, null).size(), "the store outlives the server");
                assertEquals(listed.get(0).get("storedBytes").asLong(), second.json("GET", server + "/backup-storage", null)
                        .get("storedBytes").asLong(), "what its one backup wrote is what the server's backups take");
                assertEquals(204, second.call("DELETE", server + "/backups/b1", null).statusCode());
                assertEquals(0, second.json("GET", "/v1/backups?serverId=" + id, null).size());
                assertEquals(0, second.json("GET", server + "/backup-storage", null).get("storedBytes").asLong());
            }
        } finally {
            cgroups.thaw("vs-" + id);
            if (Files.isDirectory(disk)) {
                FileSystemFreeze.thaw(disk);
            }
            System.out.println(Files.readString(state.resolve("agent.log")));
            AgentProcess.cleanUp(state);
        }
    }

    private static String exec(AgentProcess agent, String id, String script) throws Exception {
        JsonNode result = agent.json("POST", "/v1/servers/" + id + "/exec",
                Json.MAPPER.writeValueAsString(java.util.Map.of("command", java.util.List.of("sh", "-c", script))));
        assertEquals(0, result.get("exitCode").asInt(), result.toString());
        return result.get("stdout").asText();
    }
}
