package io.corral.panel;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/seed, as ./run.sh and docker-compose.yml run it, against the real panel, Keycloak and agent:
 * it makes what is missing (also the demo tenant when an earlier run made only the plan), changes
 * nothing when run again, and ends with a non-zero status and a message naming the call and the
 * reason when the panel or Keycloak refuses a call.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SeedScriptTest extends WithRealAgent {
    private static final String PANEL = "http://localhost:" + TestKeycloak.PANEL_TEST_PORT;

    private record Run(int exit, String stdout, String stderr) {
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        Run first = seed(Map.of());
        assertEquals(0, first.exit(), first.stderr());
        assertThat(first.stdout(), matchesPattern("DEMO_PASSWORD=\\S{8,}\n"));
        String made = everything();
        assertThat(made, containsString("\"slug\":\"demo\""));
        assertThat(made, containsString("\"name\":\"seeded-host\""));

        Run second = seed(Map.of());
        assertEquals(0, second.exit(), second.stderr());
        assertEquals("", second.stdout(), "no tenant was made, so no password");
        assertEquals(made, everything());
    }

    @Test
    void theDemoTenantIsMadeWhenAnEarlierRunMadeOnlyThePlan() throws Exception {
        Api.as("ada").contentType(ContentType.JSON).body(PlanApiTest.PLAN.formatted("starter")).post("/api/v1/plans")
                .then().statusCode(201);
        Run run = seed(Map.of());
        assertEquals(0, run.exit(), run.stderr());
        assertThat(run.stdout(), matchesPattern("DEMO_PASSWORD=\\S{8,}\n"));
        assertEquals(List.of("starter"), Api.as("ada").get("/api/v1/tenants").then().statusCode(200)
                .extract().jsonPath().getList("items.planName"));
    }

    @Test
    void aRefusedCallEndsItNamingTheCallAndTheReason() throws Exception {
        Run noApi = seed(Map.of("PANEL_URL", PANEL + "/not-the-api"));
        assertNotEquals(0, noApi.exit());
        assertThat(noApi.stderr(), containsString("seed: GET " + PANEL + "/not-the-api/api/v1/plans?page=0&size=200 was refused (HTTP "));

        Run wrongSecret = seed(Map.of("AGENT_SECRET", "not-the-agents-secret"));
        assertNotEquals(0, wrongSecret.exit());
        assertThat(wrongSecret.stderr(), containsString("seed: POST " + PANEL + "/api/v1/hosts was refused (HTTP 400): secret: the agent refused it"));
        assertEquals(0, Api.as("ada").get("/api/v1/hosts").then().statusCode(200).extract().jsonPath().getInt("total"),
                "no host was registered");

        Run noToken = seed(Map.of("AUTOMATION_CLIENT_SECRET", "not-the-clients-secret"));
        assertNotEquals(0, noToken.exit());
        assertThat(noToken.stderr(), containsString("gave corral-automation no token"));
    }

    /** Plans, tenants and hosts as an admin reads them. */
    private static String everything() {
        StringBuilder all = new StringBuilder();
        for (String collection : List.of("plans", "tenants", "hosts")) {
            all.append(Api.as("ada").get("/api/v1/" + collection + "?size=200").then().statusCode(200).extract().asString());
        }
        return all.toString();
    }

    /** Runs scripts/seed as ./run.sh does, with the real agent as the host; changes override the environment. */
    private static Run seed(Map<String, String> changes) throws IOException, InterruptedException {
        Path out = Files.createTempFile("seed-out", ".txt"), err = Files.createTempFile("seed-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/seed").toAbsolutePath().toString());
            Map<String, String> env = new HashMap<>(Map.of("PANEL_URL", PANEL, "KEYCLOAK_URL", TestKeycloak.get().url(),
                    "AUTOMATION_CLIENT_SECRET", TestKeycloak.AUTOMATION_SECRET, "AGENT_URL", agent.url(), "AGENT_SECRET",
                    RealAgent.SECRET, "AGENT_FINGERPRINT", agent.fingerprint(), "HOST_NAME", "seeded-host"));
            env.putAll(changes);
            pb.environment().putAll(env);
            Process seed = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!seed.waitFor(2, TimeUnit.MINUTES)) {
                seed.destroyForcibly();
                throw new AssertionError("scripts/seed did not end within 2 minutes: " + Files.readString(err));
            }
            return new Run(seed.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
