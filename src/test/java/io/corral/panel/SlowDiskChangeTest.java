package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
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
    static HeldTool e2fsck;
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;

    @BeforeAll
    static void start() throws Exception {
        e2fsck = HeldTool.start("e2fsck");
    }

    @AfterAll
    static void stop() throws Exception {
        e2fsck.close();
    }

    @BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }

    @Test
    void aDiskChangeLongerThanItsCallIsTakenOnceAndRecorded() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("slow-disk", 2), "cleo");
        admin.host("local", e2fsck.agent);
        int id = Await.runningServer("cleo", "resized");
        Api.as("cleo").post("/api/v1/servers/" + id + "/stop").then().statusCode(202);
        Await.observed(id, "stopped");

        e2fsck.hold();
        int op = Api.as("cleo").body("{\"diskMiB\":256}").put("/api/v1/servers/" + id + "/limits").then().statusCode(202)
                .extract().path("id");
        Await.until("the agent checking the disk", e2fsck::began);
        // the call ended (its 20 s) while the check went on, and the attempts after it found the server busy
        Await.until("an attempt that found the server busy", Duration.ofSeconds(90), () -> attempts(op, "busy_attempts") >= 1);
        assertEquals("running", status(op), "not given up on");
        e2fsck.release();

        Await.operation(op, "succeeded");
        assertEquals(256, Api.as("cleo").get("/api/v1/servers/" + id).then().extract().<Integer>path("limits.diskMiB"));
        var held = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e2fsck.agent.get("/v1/servers/" + id).body()).get("limits");
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
