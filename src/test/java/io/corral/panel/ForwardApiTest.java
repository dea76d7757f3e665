package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A customer's port forwards with the real agent: saved, sent to the agent (asked directly), refused for a
 * server on a public network, and sent again with a reinstall, so the host agrees with the panel.
 * Documentation ranges only, on bridges the agent made.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ForwardApiTest extends WithRealAgent {
    static final String BRIDGE = "crb-fwdapi";
    final ObjectMapper json = new ObjectMapper();

    @Test
    void forwardsAreSavedAndReachTheAgent() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("fwd-net", 2, "private"), "cleo");
        int host = admin.host("local", agent);
        admin.network("""
                {"name":"fwdapi","kind":"private","ipv4Prefix":"198.51.100.64/26","gateway4":"198.51.100.65","resolvers":[]}""", host,
                "{\"first\":\"198.51.100.70\",\"last\":\"198.51.100.80\"}");
        int id = Await.runningServer("cleo", "forwarded");
        String path = "/api/v1/servers/" + id + "/forwards";

        int op = Api.as("cleo").body("{\"forwards\":[{\"protocol\":\"tcp\",\"serverPort\":22},{\"protocol\":\"udp\",\"hostPort\":20053,"
                + "\"serverPort\":53}]}").put(path).then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        String wanted = "[{\"protocol\":\"tcp\",\"hostPort\":20000,\"serverPort\":22},{\"protocol\":\"udp\",\"hostPort\":20053,\"serverPort\":53}]";
        assertEquals(json.readTree(wanted), json.readTree(Api.as("cleo").get(path).then().statusCode(200)
                .body("hostAddress", equalTo("127.0.0.1")).extract().asString()).get("forwards"), "saved, the host port picked");
        assertEquals(json.readTree(wanted), onAgent(id), "and on the host");

        // the host's copy changed behind the panel's back: a reinstall makes them agree again
        assertEquals(200, agent.sendJson("PUT", "/v1/servers/" + id + "/forwards", "{\"forwards\":[]}").statusCode());
        int reinstall = Api.as("cleo").post("/api/v1/servers/" + id + "/reinstall").then().statusCode(202).extract().path("id");
        Await.operation(reinstall, "succeeded");
        assertEquals(json.readTree(wanted), onAgent(id));

        op = Api.as("cleo").body("{\"forwards\":[]}").put(path).then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        assertEquals(json.readTree("[]"), onAgent(id), "removed on the host too");
    }

    JsonNode onAgent(long id) throws Exception {
        return json.readTree(agent.get("/v1/servers/" + id + "/forwards").body()).get("forwards");
    }

    @AfterAll
    static void removeTheBridge() throws Exception {
        removeBridge(BRIDGE);
    }
}
