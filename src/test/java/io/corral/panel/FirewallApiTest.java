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
 * A customer's server's firewall through the API, with the real agent: refused input names the field and
 * changes nothing, a change is saved and reaches the agent (asked directly), another tenant's customer
 * does not find it, and a reinstall sends the panel's firewall again, so the host agrees with the panel.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class FirewallApiTest extends WithRealAgent {
    static final String BRIDGE = "crb-fwapi";
    static final String OPEN = "{\"defaultInbound\":\"allow\",\"rules\":[]}";
    final ObjectMapper json = new ObjectMapper();

    @Test
    void aFirewallIsCheckedSavedSentToTheAgentAndHiddenFromOtherTenants() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("fw-net", 2, "public"), "cleo");
        admin.tenant("Globex", "globex", admin.plan("fw-other", 1), "gus");
        int host = admin.host("local", agent);
        admin.publicNetwork("fwapi", "f0a", host);
        int id = Await.runningServer("cleo", "walled");
        String path = "/api/v1/servers/" + id + "/firewall";
        assertEquals(json.readTree(OPEN), firewall("cleo", path), "open until set");

        for (String[] bad : new String[][] {
                {"defaultInbound", "{\"defaultInbound\":\"drop\",\"rules\":[]}"},
                {"rules[1].ports", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"22\"},"
                        + "{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"65536\"}]}"},
                {"rules[0].ports", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"icmp\",\"ports\":\"22\"}]}"},
                {"rules[0].protocol", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"sctp\"}]}"},
                {"rules[0].action", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"accept\",\"protocol\":\"tcp\"}]}"},
                {"rules[0].source", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"198.51.100.7/24\"}]}"},
                {"rules[0].source", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"example.org\"}]}"},
                {"rules[0].source", "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"any\",\"source\":\"::ffff:a00:0/104\"}]}"},
                {"rules", "{\"defaultInbound\":\"deny\",\"rules\":[" + "{\"action\":\"allow\",\"protocol\":\"any\"},".repeat(64)
                        + "{\"action\":\"allow\",\"protocol\":\"any\"}]}"}}) {
            Api.as("cleo").body(bad[1]).put(path).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[0]));
        }
        assertEquals(json.readTree(OPEN), firewall("cleo", path), "nothing saved by a refusal");

        String wanted = """
                {"defaultInbound":"deny","rules":[{"action":"allow","protocol":"tcp","ports":"8000-8100","source":"203.0.113.0/24"},
                 {"action":"deny","protocol":"udp","source":"2001:db8:f0a::/48"},{"action":"allow","protocol":"icmp","source":"198.51.100.7/32"}]}""";
        int op = Api.as("cleo").body(wanted.replace("198.51.100.7/32", "198.51.100.7")).put(path).then().statusCode(202)
                .extract().path("id");
        Await.operation(op, "succeeded");
        assertEquals(json.readTree(wanted), firewall("cleo", path), "saved, a bare address as its /32");
        assertEquals(json.readTree(wanted), onAgent(id), "and on the host");

        Api.as("gus").get(path).then().statusCode(404);
        Api.as("gus").body(OPEN).put(path).then().statusCode(404);
        assertEquals(json.readTree(wanted), onAgent(id), "another tenant changes nothing");

        // the host's copy changed behind the panel's back: a reinstall makes them agree again
        assertEquals(200, agent.sendJson("PUT", "/v1/servers/" + id + "/firewall", OPEN).statusCode());
        int reinstall = Api.as("cleo").post("/api/v1/servers/" + id + "/reinstall").then().statusCode(202).extract().path("id");
        Await.operation(reinstall, "succeeded");
        assertEquals(json.readTree(wanted), onAgent(id));
    }

    JsonNode firewall(String user, String path) throws Exception {
        return json.readTree(Api.as(user).get(path).then().statusCode(200).extract().asString());
    }

    JsonNode onAgent(long id) throws Exception {
        return json.readTree(agent.get("/v1/servers/" + id + "/firewall").body());
    }

    @AfterAll
    static void removeTheBridge() throws Exception {
        removeBridge(BRIDGE);
    }
}
