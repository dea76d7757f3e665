package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant's operations held up on their host (here its orders, the agent's mkfs held until the test lets it go, as a
 * slow disk would) do not hold every worker thread: another tenant's operations run meanwhile, queued on this panel or on
 * another.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class WorkerShareTest {
    /** More orders than the panel has worker threads. */
    private static final int ORDERS = 6;
    static HeldTool mkfs;
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;

    @BeforeAll
    static void start() throws Exception {
        mkfs = HeldTool.start("mkfs.ext4");
    }

    @AfterAll
    static void stop() throws Exception {
        mkfs.close();
    }

    @BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }

    @Test
    void aTenantsOperationsHeldUpLeaveAThreadForAnothers() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("many", ORDERS), "otto");
        admin.tenant("Globex", "globex", admin.plan("one", 1), "cleo");
        admin.host("local", mkfs.agent);
        int other = Await.runningServer("cleo", "other");

        mkfs.hold();
        List<Integer> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(Api.as("otto").body("{\"hostname\":\"held" + i + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"cpus\":0.1,\"diskMiB\":64}")
                    .post("/api/v1/servers").then().statusCode(201).extract().path("id"));
        }
        Await.until("four of the orders taken up", () -> running("acme") >= 4);
        int restart = Api.as("cleo").post("/api/v1/servers/" + other + "/restart").then().statusCode(202).extract().path("id");
        // the orders' calls wait for mkfs until the hold goes, or 120 s: a restart waiting for a thread would wait as long
        Await.until("the other tenant's restart done while the orders are held", Duration.ofSeconds(45),
                () -> "succeeded".equals(status(restart)));
        // queued by another panel on the database: no wake-up here, found by the schedule's, whose thread runs none itself
        long again = Db.number(db, "insert into operation (server_id, kind, requested_by) values (" + other + ", 'restart', 'cleo') returning id");
        Await.until("the other tenant's restart queued elsewhere done while the orders are held", Duration.ofSeconds(45),
                () -> "succeeded".equals(status((int) again)));
        assertEquals(ORDERS, running("acme") + queued("acme"), "the orders still held");

        mkfs.release();
        for (int server : orders) {
            Await.observed(server, "running");
        }
    }

    private long running(String tenant) {
        return count(tenant, "running");
    }

    private long queued(String tenant) {
        return count(tenant, "queued");
    }

    private long count(String tenant, String status) {
        return Db.number(db, "select count(*) from operation o join virtual_server v on v.id = o.server_id join tenant t on t.id = v.tenant_id"
                + " where t.slug = '" + tenant + "' and o.status = '" + status + "'");
    }

    private static String status(int operation) {
        return Api.as("ada").get("/api/v1/operations/" + operation).then().extract().path("status");
    }
}
