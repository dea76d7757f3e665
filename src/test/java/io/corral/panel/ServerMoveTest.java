package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An admin moves a customer's server between two hosts, each a real agent in a network namespace of its own: the
 * server keeps its id, hostname and files and runs on the other host, and one on a private network keeps its address
 * and its port forward, which then forwards on the other host (only to a host on its network); a move cut short by the receiving host's agent
 * dying leaves it running where it was, and nothing of it on the receiving host once that agent is back.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ServerMoveTest {
    static TestHosts hosts;
    @jakarta.inject.Inject
    Fixtures fixtures;
    int first, second;

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = TestHosts.start("pmv", 2);
    }

    @AfterAll
    static void stopHosts() throws Exception {
        hosts.close();
    }

    @BeforeEach
    void world() {
        fixtures.wipe();
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("moves", 4), "cleo");
        first = admin.host("first", hosts.host(0));
        second = admin.host("second", hosts.host(1));
    }

    @Test
    void aRunningServerMovesWithItsFilesAndKeepsItsIdAndHostname() throws Exception {
        int id = Await.runningServer("cleo", "shop");
        assertEquals(first, (int) Api.as("cleo").get("/api/v1/servers/" + id).then().extract().path("hostId"), "placed on the first host");
        String written = Api.exec("cleo", id, "dd if=/dev/urandom of=/root/data bs=1M count=20 2>/dev/null; sha256sum /root/data");

        Api.as("cleo").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(403);
        Api.as("ada").body("{\"hostId\":" + first + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(409)
                .body("detail", containsString("already"));
        Api.as("ada").body("{\"hostId\":999999}").post("/api/v1/servers/" + id + "/move").then().statusCode(400).body("field", equalTo("hostId"));
        Api.as("ada").body("{}").post("/api/v1/servers/" + id + "/move").then().statusCode(400).body("field", containsString("hostId"));

        int move = Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(202)
                .body("kind", equalTo("move")).extract().path("id");
        Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(409)
                .body("detail", containsString("being moved"));
        Await.until("the move done", Duration.ofSeconds(120), () -> !"queued".equals(status(move)) && !"running".equals(status(move)));
        JsonPath done = Api.as("ada").get("/api/v1/operations/" + move).then().extract().jsonPath();
        assertEquals("succeeded", done.getString("status"), done.prettify());
        assertTrue(done.getLong("result.bytesSent") >= 20L << 20, "the 20 MiB written were sent: " + done.prettify());
        assertTrue(done.getLong("result.downtimeMillis") > 0, done.prettify());

        Api.as("cleo").get("/api/v1/servers/" + id).then().body("hostId", equalTo(second)).body("observedState", equalTo("running"))
                .body("hostname", equalTo("shop"));
        assertEquals(written, Api.exec("cleo", id, "sha256sum /root/data"), "the files came along");
        assertEquals("shop\n", Api.exec("cleo", id, "hostname"));
        assertEquals("running", hosts.host(1).state(id));
        assertEquals(404, hosts.host(0).get("/v1/servers/" + id).statusCode(), "nothing left on the host it left");
        Api.as("ada").get("/api/v1/audit").then().body("items.action", org.hamcrest.Matchers.hasItem("server.move"));
    }

    @Test
    void aMoveCutShortByTheReceivingAgentLeavesTheServerRunningWhereItWas() throws Exception {
        int id = Await.runningServer("cleo", "stays");
        String written = Api.exec("cleo", id, "dd if=/dev/urandom of=/root/data bs=1M count=100 2>/dev/null; sha256sum /root/data");
        RealAgent receiver = hosts.host(1);
        int move = Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(202)
                .extract().path("id");
        Await.until("blocks arriving at the receiving host", Duration.ofSeconds(60), () -> receiver.arrived(id) > 8L << 20);
        receiver.kill();

        Await.until("the move failed", Duration.ofSeconds(60), () -> "failed".equals(status(move)));
        Api.as("ada").get("/api/v1/operations/" + move).then().body("error", containsString("second"));
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("hostId", equalTo(first));
        assertEquals("running", hosts.host(0).state(id), "still running where it was");
        assertEquals(written, Api.exec("cleo", id, "sha256sum /root/data"));

        receiver.startAgain();
        assertEquals(404, receiver.get("/v1/servers/" + id).statusCode(), "the receiving end removed when its agent came back");
        assertTrue(Files.notExists(receiver.state.resolve("servers/" + id)));
        // and the same move goes through now
        int again = Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(202)
                .extract().path("id");
        Await.until("the second move done", Duration.ofSeconds(120), () -> "succeeded".equals(status(again)) || "failed".equals(status(again)));
        assertEquals("succeeded", status(again), Api.as("ada").get("/api/v1/operations/" + again).then().extract().asString());
        assertEquals(written, Api.exec("cleo", id, "sha256sum /root/data"));
    }

    @Test
    void aServerMovesWithItsAddressAndItsForwardToAHostOnItsNetwork() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Globex", "globex", admin.plan("moves-net", 2, "private"), "gus");
        int network = admin.network("""
                {"name":"mvnet","kind":"private","ipv4Prefix":"198.51.100.0/24","gateway4":"198.51.100.1","resolvers":[]}""", first,
                "{\"first\":\"198.51.100.10\",\"last\":\"198.51.100.20\"}");
        int id = Await.runningServer("gus", "web");
        int change = Api.as("gus").body("{\"forwards\":[{\"protocol\":\"tcp\",\"hostPort\":20080,\"serverPort\":8080}]}")
                .put("/api/v1/servers/" + id + "/forwards").then().statusCode(202).extract().path("id");
        Await.operation(change, "succeeded");
        serveHostname(id);
        String from = "http://" + hosts.host(0).address() + ":20080/name", to = "http://" + hosts.host(1).address() + ":20080/name";
        assertEquals("web\n", ServerHttp.within(from), "the forward of the first host reaches the server");

        Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(409)
                .body("detail", containsString("network mvnet, which host second is not on"));
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + second).then().statusCode(200);
        int move = Api.as("ada").body("{\"hostId\":" + second + "}").post("/api/v1/servers/" + id + "/move").then().statusCode(202)
                .extract().path("id");
        // the forward's port counts on the host the server goes to from now on, and the network stays there
        Api.as("ada").delete("/api/v1/networks/" + network + "/hosts/" + second).then().statusCode(409);
        Await.until("the move done", Duration.ofSeconds(120), () -> !"queued".equals(status(move)) && !"running".equals(status(move)));
        assertEquals("succeeded", status(move), Api.as("ada").get("/api/v1/operations/" + move).then().extract().asString());

        Api.as("gus").get("/api/v1/servers/" + id).then().body("hostId", equalTo(second)).body("network.ipv4", equalTo("198.51.100.10/24"));
        Api.as("gus").get("/api/v1/servers/" + id + "/forwards").then().body("forwards[0].hostPort", equalTo(20080));
        serveHostname(id);
        assertEquals("web\n", ServerHttp.within(to), "the same forward on the second host reaches the server there");
        assertTrue(refused(hosts.host(0).address(), 20080), "the first host forwards nothing any more");
        Api.as("ada").delete("/api/v1/networks/" + network + "/hosts/" + second).then().statusCode(409)
                .body("detail", containsString("hold addresses of network mvnet"));
    }

    private static void serveHostname(int id) {
        Api.exec("gus", id, "mkdir -p /tmp/www && hostname > /tmp/www/name && httpd -p 8080 -h /tmp/www");
    }

    private static boolean refused(String address, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(address, port), 5000);
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String status(int operation) {
        return Api.as("ada").get("/api/v1/operations/" + operation).then().extract().path("status");
    }
}
