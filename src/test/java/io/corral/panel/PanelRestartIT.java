package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged panel, killed with -9 at a chosen point of an operation — after the agent has done
 * its part, before the panel has recorded it — then started again on the same data directory: its
 * embedded PostgreSQL comes back with everything acknowledged, and the agent's work is done once.
 *
 * The point is chosen with a stand-in for the agent's mkfs.ext4: it makes the disk for real, counts
 * its runs, and holds the agent's create until the test lets it go, which the test does only once
 * the panel is dead; so the agent finishes the create and its answer reaches nobody.
 */
class PanelRestartIT {
    static RealAgent agent;
    static Path tools;
    static PackagedPanel panel;

    @BeforeAll
    static void start() throws Exception {
        tools = Files.createTempDirectory("corral-mkfs-stand-in");
        TestFiles.standIn(tools, "mkfs.ext4", mkfs -> mkfs + " \"$@\" || exit\necho made >> " + tools.resolve("runs")
                + "\nwhile [ ! -e " + tools.resolve("go") + " ]; do sleep 0.05; done\n");
        agent = RealAgent.startWithToolsFirst(tools);
        panel = new PackagedPanel(Files.createTempDirectory("corral-panel-restart"), java.util.Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (panel != null) {
            panel.stop();
        }
        agent.close();
        TestFiles.deleteTree(tools);
    }

    static RequestSpecification as(String user) {
        return panel.as(user);
    }

    @Test
    void killedAfterTheAgentCreatedTheServerThePanelFinishesTheOrderOnce() throws Exception {
        AdminSteps admin = new AdminSteps(PanelRestartIT::as);
        admin.tenant("Acme", "acme", admin.plan("restart", 2), "cleo");
        admin.host("local", agent);
        int id = as("cleo").body("{\"hostname\":\"survivor\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        int op = as("cleo").get("/api/v1/operations?serverId=" + id).then().extract().path("items[0].id");

        Await.until("the agent making the disk", Duration.ofSeconds(60), () -> runs() == 1);
        panel.kill();
        Files.createFile(tools.resolve("go"));
        Await.until("the agent's create finished", Duration.ofSeconds(30), () -> {
            try {
                return agent.get("/v1/servers/" + id).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });

        panel.start();
        Await.until("order finished", Duration.ofSeconds(60), () -> {
            String status = as("cleo").get("/api/v1/operations/" + op).then().extract().path("status");
            return "succeeded".equals(status) || "failed".equals(status);
        });
        as("cleo").get("/api/v1/operations/" + op).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("succeeded"))
                .body("attempts", org.hamcrest.Matchers.equalTo(2));
        Await.until("observed running", Duration.ofSeconds(10), () -> "running".equals(as("cleo").get("/api/v1/servers/" + id).then().extract().path("observedState")));
        assertEquals("running", agent.state(id));
        assertEquals(1, runs(), "the agent made the server's disk once: the second attempt found the server made");
        assertEquals(1, com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(agent.get("/v1/servers").body()).size(),
                "one server on the agent");
        as("cleo").get("/api/v1/servers").then().body("total", org.hamcrest.Matchers.equalTo(1));
    }

    private static long runs() {
        try {
            return Files.exists(tools.resolve("runs")) ? Files.readAllLines(tools.resolve("runs")).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
