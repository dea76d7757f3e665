package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/keycloak-apply, the command docker-compose.yml gives for secrets and public URLs changed after
 * Keycloak's first start (the realm's import, which takes them from the environment, runs only then):
 * against the test run's Keycloak, it sets a new automation secret and panel URL; and it turns on the sign-in pages'
 * languages in a realm imported without them. The test puts the old values back through the admin API (the script
 * runs kcadm.sh, a JVM start, ten times: once is enough to show it works).
 */
class KeycloakApplyTest {
    private static final String PANEL_URL = "http://localhost:" + TestKeycloak.PANEL_TEST_PORT;

    @Test
    void aChangedSecretAndPanelUrlReachARunningKeycloak() throws Exception {
        TestKeycloak keycloak = TestKeycloak.get();
        // as a realm imported before the panel spoke Japanese
        keycloak.admin().body(Map.of("internationalizationEnabled", false, "supportedLocales", List.of())).put("").then().statusCode(204);
        apply(keycloak, Map.of("CORRAL_AUTOMATION_CLIENT_SECRET", "changed-automation-secret-0123456789",
                "CORRAL_PANEL_URL", "https://corral.example.com"));
        try {
            keycloak.clientToken("corral-automation", "changed-automation-secret-0123456789");
            assertEquals(401, tokenStatus(keycloak, TestKeycloak.AUTOMATION_SECRET), "the old secret no longer works");
            Map<String, Object> panel = panelClient(keycloak);
            assertEquals(List.of("https://corral.example.com/*"), panel.get("redirectUris"));
            Map<?, ?> attributes = (Map<?, ?>) panel.get("attributes");
            assertEquals("https://corral.example.com/*", attributes.get("post.logout.redirect.uris"));
            assertEquals("S256", attributes.get("pkce.code.challenge.method"), "the client's other settings are kept");
            Map<String, Object> realm = keycloak.admin().get("").then().statusCode(200).extract().path("$");
            assertEquals(true, realm.get("internationalizationEnabled"));
            assertEquals(java.util.Set.of("en", "ja"), java.util.Set.copyOf((List<?>) realm.get("supportedLocales")),
                    "sign-in pages in the panel's languages");
        } finally {
            restore(keycloak);
        }
        assertEquals(200, tokenStatus(keycloak, TestKeycloak.AUTOMATION_SECRET));
        assertEquals(List.of(PANEL_URL + "/*"), panelClient(keycloak).get("redirectUris"));
    }

    private static int tokenStatus(TestKeycloak keycloak, String secret) {
        return given().formParam("grant_type", "client_credentials").auth().preemptive().basic("corral-automation", secret)
                .post(keycloak.realmUrl() + "/protocol/openid-connect/token").statusCode();
    }

    private static Map<String, Object> panelClient(TestKeycloak keycloak) {
        return client(keycloak, "corral-panel");
    }

    private static Map<String, Object> client(TestKeycloak keycloak, String clientId) {
        List<Map<String, Object>> found = keycloak.admin().queryParam("clientId", clientId).get("/clients")
                .then().statusCode(200).extract().path("$");
        return found.get(0);
    }

    /** The test run's automation secret and panel URL again, for the tests after this one. */
    @SuppressWarnings("unchecked")
    private static void restore(TestKeycloak keycloak) {
        Map<String, Object> automation = client(keycloak, "corral-automation");
        automation.put("secret", TestKeycloak.AUTOMATION_SECRET);
        keycloak.admin().body(automation).put("/clients/" + automation.get("id")).then().statusCode(204);
        Map<String, Object> panel = panelClient(keycloak);
        panel.remove("secret"); // left out, it stays as it is
        panel.put("redirectUris", List.of(PANEL_URL + "/*"));
        ((Map<String, Object>) panel.get("attributes")).put("post.logout.redirect.uris", PANEL_URL + "/*");
        keycloak.admin().body(panel).put("/clients/" + panel.get("id")).then().statusCode(204);
    }

    /** Runs the script as the compose file's command does, with the test run's values and these changes. */
    private static void apply(TestKeycloak keycloak, Map<String, String> changes) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("scripts/keycloak-apply").toString());
        Map<String, String> env = new HashMap<>(Map.of("KCADM", repo.resolve("target/keycloak/bin/kcadm.sh").toString(),
                "KEYCLOAK_URL", keycloak.url(), "KC_BOOTSTRAP_ADMIN_USERNAME", TestKeycloak.MASTER_ADMIN,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", TestKeycloak.MASTER_PASSWORD, "CORRAL_PANEL_URL", PANEL_URL,
                "CORRAL_PANEL_CLIENT_SECRET", TestKeycloak.PANEL_SECRET, "CORRAL_BILLING_CLIENT_SECRET", TestKeycloak.BILLING_SECRET,
                "CORRAL_AUTOMATION_CLIENT_SECRET", TestKeycloak.AUTOMATION_SECRET, "JAVA_HOME", System.getProperty("java.home"),
                // each kcadm.sh is a JVM living a second: compiled less, collected simply, it starts in about 60% of the CPU time
                "KC_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        env.putAll(changes);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("keycloak-apply", ".log");
        try {
            Process run = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!run.waitFor(2, TimeUnit.MINUTES)) {
                run.destroyForcibly().waitFor();
            }
            assertEquals(0, run.exitValue(), Files.readString(log));
        } finally {
            Files.delete(log);
        }
    }
}
