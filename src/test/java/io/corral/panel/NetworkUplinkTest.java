package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A customer's server on a public network that its host has with an uplink, with the real agent: the worker
 * tells the agent the host's uplink, and the host answers for the server's addresses there (a neighbour proxy
 * entry each, both families) until the server is destroyed. The uplink is a veth the test makes, without
 * addresses and its peer left down, and deletes after (its peer with it), also when the test fails; documentation ranges only.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NetworkUplinkTest extends WithRealAgent {
    private static final String BRIDGE = "crb-uplnk";

    @Test
    void theAgentIsToldTheHostsUplinkAndAnswersForTheServerThere() throws Exception {
        // names no host interface has: cup (its peer cuq) and eight random hex digits, not the agent's own crb-*, cv* or cb*
        String suffix = String.format("%08x", new SecureRandom().nextInt()), uplink = "cup" + suffix;
        ip("link", "add", uplink, "type", "veth", "peer", "name", "cuq" + suffix); // the kernel here has no dummy interfaces
        try {
            ip("link", "set", uplink, "up");
            AdminSteps admin = AdminSteps.IN_PROCESS;
            admin.tenant("Acme", "acme", admin.plan("uplink", 2, "public"), "cleo");
            int host = admin.host("local", agent);
            int network = admin.network("""
                    {"name":"uplnk","kind":"public","ipv4Prefix":"203.0.113.64/27","gateway4":"203.0.113.65",
                     "ipv6Prefix":"2001:db8:15::/64","gateway6":"2001:db8:15::1"}""", host,
                    "{\"first\":\"203.0.113.70\",\"last\":\"203.0.113.80\"}", "{\"first\":\"2001:db8:15::10\",\"last\":\"2001:db8:15::20\"}");
            Api.as("ada").body("{\"uplink\":\"" + uplink + "\"}").put("/api/v1/networks/" + network + "/hosts/" + host).then()
                    .statusCode(200).body("hosts[0].uplink", equalTo(uplink));

            int id = Api.as("cleo").body("{\"hostname\":\"shop\",\"template\":\"busybox\",\"memoryMiB\":128,\"diskMiB\":256}")
                    .post("/api/v1/servers").then().statusCode(201).body("network.ipv4", equalTo("203.0.113.70/27")).extract().path("id");
            Await.observed(id, "running");
            assertEquals(uplink, new ObjectMapper().readTree(agent.get("/v1/servers/" + id).body()).path("network").path("uplink").asText(),
                    "the agent was given the host's uplink");
            String proxies = ip("neigh", "show", "proxy", "dev", uplink); // both families
            assertTrue(proxies.contains("203.0.113.70 ") && proxies.contains("2001:db8:15::10 "), "the host answers for both addresses there: " + proxies);

            int destroy = Api.as("cleo").delete("/api/v1/servers/" + id).then().statusCode(202).extract().path("id");
            Await.operation(destroy, "succeeded");
            String left = ip("neigh", "show", "proxy", "dev", uplink);
            assertFalse(left.contains("203.0.113.70") || left.contains("2001:db8:15::10"), "no answer for a destroyed server: " + left);
        } finally {
            ip("link", "delete", uplink); // its peer and the proxy entries go with it
        }
    }

    /** The host's ip with these arguments; its output. */
    private static String ip(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    @AfterAll
    static void removeTheBridge() throws Exception {
        // the agent keeps a network's bridge when its last server goes; this test's bridge goes with the test
        removeBridge(BRIDGE);
    }
}
