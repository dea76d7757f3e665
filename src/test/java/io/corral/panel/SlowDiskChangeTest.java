package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change of disk that takes longer than the panel's call for it (the agent's e2fsck held here until the test lets it
 * go, as a large full disk's check takes minutes) holds no worker thread meanwhile: the call ends, the next attempts find
 * the server busy and are not counted, and the one after the resize is answered as it went. The panel then records the
 * disk the agent has.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SlowDiskChangeTest {
    static RealAgent agent;
    static Path tools;
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;

    @BeforeAll
    static void start() throws Exception {
        tools = Files.createTempDirectory("corral-e2fsck-stand-in");
        TestFiles.standIn(tools, "e2fsck", e2fsck -> "echo checking >> " + tools.resolve("runs")
                + "\nwhile [ -e " + tools.resolve("hold") + " ]; do sleep 0.05; done\nexec " + e2fsck + " \"$@\"\n");
        agent = RealAgent.startWithToolsFirst(tools);
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        TestFiles.deleteTree(tools);
    }

    @BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }

    @Test
    void aDiskChangeLongerThanItsCallIsTakenOnceAndRecorded() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("slow-disk", 2), "cleo");
        admin.host("local", agent);
        int id = Await.runningServer("cleo", "resized");
        Api.as("cleo").post("/api/v1/servers/" + id + "/stop").then().statusCode(202);
        Await.observed(id, "stopped");

        Files.createFile(tools.resolve("hold"));
        int op = Api.as("cleo").body("{\"diskMiB\":256}").put("/api/v1/servers/" + id + "/limits").then().statusCode(202)
                .extract().path("id");
        Await.until("the agent checking the disk", () -> Files.exists(tools.resolve("runs")));
        // the call ended (its 20 s) while the check went on, and the attempts after it found the server busy
        Await.until("an attempt that found the server busy", Duration.ofSeconds(90), () -> attempts(op, "busy_attempts") >= 1);
        assertEquals("running", status(op), "not given up on");
        Files.delete(tools.resolve("hold"));

        Await.operation(op, "succeeded");
        assertEquals(256, Api.as("cleo").get("/api/v1/servers/" + id).then().extract().<Integer>path("limits.diskMiB"));
        var held = new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.get("/v1/servers/" + id).body()).get("limits");
        assertEquals(256, held.get("diskMiB").asInt(), "what the agent has");
        assertTrue(attempts(op, "attempts") - attempts(op, "busy_attempts") <= 2, "the busy ones not counted");
    }

    private long attempts(int operation, String column) {
        return Db.number(db, "select " + column + " from operation where id = " + operation);
    }

    private static String status(int operation) {
        return Api.as("ada").get("/api/v1/operations/" + operation).then().extract().path("status");
    }
}
