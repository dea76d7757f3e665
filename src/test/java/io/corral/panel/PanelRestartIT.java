package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged panel, killed with -9 while an operation runs, then started again on the same data
 * directory: its embedded PostgreSQL comes back with everything acknowledged, and the operation is
 * finished exactly once.
 */
class PanelRestartIT {
    static RealAgent agent;
    static Path data;
    static int port;
    static Process panel;

    @BeforeAll
    static void start() throws Exception {
        agent = RealAgent.start();
        data = Files.createTempDirectory("corral-panel-restart");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startPanel();
    }

    @AfterAll
    static void stop() throws Exception {
        if (panel != null) {
            panel.destroy();
            panel.waitFor();
        }
        agent.close();
    }

    static void startPanel() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcorral.keycloak.url=" + TestKeycloak.get().url(),
                "-Dcorral.worker.lease=5s", "-Dcorral.heartbeat.every=off",
                "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        pb.environment().put("CORRAL_DATA_DIR", data.toString());
        pb.environment().put("CORRAL_PANEL_CLIENT_SECRET", TestKeycloak.PANEL_SECRET); // not an argument: ps shows those to everyone
        pb.environment().put("CORRAL_PORT", Integer.toString(port));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("panel.log").toFile()));
        panel = pb.start();
        await("panel ready", Duration.ofSeconds(90), () -> {
            try {
                return given().port(port).get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) { // connection refused while it starts
                return false;
            }
        });
    }

    static RequestSpecification as(String user) {
        return Api.as(user).port(port);
    }

    @Test
    void killedMidOperationThePanelFinishesItOnceAfterRestart() throws Exception {
        AdminSteps admin = new AdminSteps(PanelRestartIT::as);
        admin.tenant("Acme", "acme", admin.plan("restart", 2), "cleo");
        admin.host("local", agent);
        int id = as("cleo").body("{\"hostname\":\"survivor\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        await("running", Duration.ofSeconds(60), () -> "running".equals(as("cleo").get("/api/v1/servers/" + id).then().extract().path("observedState")));

        // busybox init takes about a second to shut down: the stop is in the agent's hands when the panel dies
        int op = as("cleo").post("/api/v1/servers/" + id + "/stop").then().statusCode(202).extract().path("id");
        await("stop claimed", Duration.ofSeconds(10), () -> "running".equals(as("cleo").get("/api/v1/operations/" + op).then().extract().path("status")));
        panel.destroyForcibly();
        panel.waitFor();

        startPanel();
        await("stop finished", Duration.ofSeconds(60), () -> {
            String status = as("cleo").get("/api/v1/operations/" + op).then().extract().path("status");
            return "succeeded".equals(status) || "failed".equals(status);
        });
        as("cleo").get("/api/v1/operations/" + op).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("succeeded"))
                .body("attempts", org.hamcrest.Matchers.equalTo(2));
        await("observed stopped", Duration.ofSeconds(10), () -> "stopped".equals(as("cleo").get("/api/v1/servers/" + id).then().extract().path("observedState")));
        assertEquals("stopped", EndToEndTest.field(agent.get("/v1/servers/" + id).body(), "state"));
        as("cleo").get("/api/v1/servers").then().body("total", org.hamcrest.Matchers.equalTo(1));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        EndToEndTest.await(what, timeout, condition);
    }
}
