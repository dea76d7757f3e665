package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged panels on one PostgreSQL (the first's embedded one, the second connecting to it as to an external
 * database) and two hosts, each a real agent in a network namespace of its own: a move the first panel runs, killed
 * with -9 while the disk is on its way (stopped with SIGSTOP first, so that it never records the move's end), is finished by the second, with the server's files, on the host it was
 * moving to, and nothing left where it was.
 */
class TwoPanelsIT {
    static TestHosts hosts;
    static PackagedPanel first, second;

    @BeforeAll
    static void start() throws Exception {
        TestKeycloak.get().reset(); // another test's tenant would be a second group of cleo's
        hosts = TestHosts.start("p2p", 2);
        int database;
        try (ServerSocket s = new ServerSocket(0)) {
            database = s.getLocalPort();
        }
        Path firstData = Files.createTempDirectory("corral-first-panel");
        first = new PackagedPanel(firstData, Map.of("CORRAL_DB_PORT", Integer.toString(database))).start();
        second = new PackagedPanel(Files.createTempDirectory("corral-second-panel"), Map.of(
                "CORRAL_DB_URL", "jdbc:postgresql://127.0.0.1:" + database + "/postgres",
                "CORRAL_DB_PASSWORD", Files.readString(firstData.resolve("postgres.password")).trim()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.stop();
        }
        if (first != null) {
            first.stop();
            first.stopDatabase();
        }
        hosts.close();
    }

    @Test
    void aMoveWhosePanelIsKilledIsFinishedByTheOther() throws Exception {
        AdminSteps admin = new AdminSteps(first::as);
        admin.tenant("Acme", "acme", admin.plan("two-panels", 2), "cleo");
        admin.host("from", hosts.host(0));
        int to = admin.host("to", hosts.host(1));
        int id = first.as("cleo").body("{\"hostname\":\"survivor\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":2048}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.until("server running", Duration.ofSeconds(60),
                () -> "running".equals(first.as("cleo").get("/api/v1/servers/" + id).then().extract().path("observedState")));
        String written = first.as("cleo").body(Map.of("command", List.of("sh", "-c",
                        "dd if=/dev/urandom of=/root/data bs=1M count=1200 2>/dev/null; sha256sum /root/data"), "timeoutSeconds", 300))
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200).extract().path("stdout");

        int move = first.as("ada").body("{\"hostId\":" + to + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(202)
                .extract().path("id");
        Await.until("blocks arriving at the receiving host", Duration.ofSeconds(60), () -> hosts.host(1).arrived(id) > 16L << 20);
        // the first panel stops where it is, so that however fast the copy it never records the move's end; the second
        // starts only now, so that the first panel's worker is the one that has the move
        first.pause();
        second.start();
        first.kill();

        Await.until("the move finished by the second panel", Duration.ofSeconds(240), () -> {
            String status = second.as("ada").get("/api/v1/operations/" + move).then().extract().path("status");
            return "succeeded".equals(status) || "failed".equals(status);
        });
        second.as("ada").get("/api/v1/operations/" + move).then().body("status", equalTo("succeeded")).body("attempts", equalTo(2));
        second.as("cleo").get("/api/v1/servers/" + id).then().body("hostId", equalTo(to)).body("observedState", equalTo("running"));
        assertEquals(written, second.as("cleo").body(Map.of("command", List.of("sha256sum", "/root/data"))).post("/api/v1/servers/" + id + "/exec")
                .then().statusCode(200).extract().path("stdout"), "the files came along");
        assertEquals(404, hosts.host(0).get("/v1/servers/" + id).statusCode(), "nothing left on the host it left");
        assertEquals("running", hosts.host(1).state(id));
    }
}
