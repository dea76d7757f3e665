package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A customer's server on a public network, with the real agent: the address the panel took for the
 * order is the one the agent gives the server and the one it serves on, reached from this host over
 * the network's bridge on both families; destroy leaves no interface on the host and gives the
 * address back. Documentation ranges only (203.0.113.0/24, 2001:db8::/32), on a bridge the agent made.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NetworkEndToEndTest extends WithRealAgent {
    private static final String BRIDGE = "crb-e2e";

    @Test
    void anOrderedServerServesOnTheAddressThePanelGaveIt() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("e2e-net", 2, "public"), "cleo");
        int host = admin.host("local", agent);
        admin.publicNetwork("e2e", "e2e", host);

        int id = Api.as("cleo").body("{\"hostname\":\"shop\",\"template\":\"busybox\",\"memoryMiB\":128,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(id, "running");
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("network.ipv4", equalTo("203.0.113.10/24"))
                .body("network.ipv6", equalTo("2001:db8:e2e::10/64"));
        JsonNode onHost = new ObjectMapper().readTree(agent.get("/v1/servers/" + id).body()).get("network");
        assertEquals("203.0.113.10/24", onHost.get("ipv4").asText(), "the agent was given the panel's address");
        assertEquals("2001:db8:e2e::10/64", onHost.get("ipv6").asText());
        assertEquals("acme", onHost.get("tenant").asText());
        String hostInterface = onHost.get("hostInterface").asText();

        Api.as("cleo").body("{\"command\":[\"sh\",\"-c\",\"mkdir -p /tmp/www && hostname > /tmp/www/name && httpd -p 8080 -h /tmp/www\"]}")
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200).body("exitCode", equalTo(0));
        assertEquals("shop\n", ServerHttp.within("http://203.0.113.10:8080/name"));
        assertEquals("shop\n", ServerHttp.within("http://[2001:db8:e2e::10]:8080/name"));

        int destroy = Api.as("cleo").delete("/api/v1/servers/" + id).then().statusCode(202).extract().path("id");
        Await.operation(destroy, "succeeded");
        assertNotEquals(0, new ProcessBuilder("ip", "link", "show", hostInterface).start().waitFor(), "its veth is gone");
        int again = Api.as("cleo").body("{\"hostname\":\"shop2\",\"template\":\"busybox\",\"memoryMiB\":128,\"diskMiB\":256}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Api.as("cleo").get("/api/v1/servers/" + again).then().body("network.ipv4", equalTo("203.0.113.10/24"));
        Await.observed(again, "running");
    }

    @AfterAll
    static void removeTheBridge() throws Exception {
        // the agent keeps a network's bridge when its last server goes; this test's bridge goes with the test
        removeBridge(BRIDGE);
    }
}
