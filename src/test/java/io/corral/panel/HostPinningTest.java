package io.corral.panel;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.audit.AuditEvent;
import io.corral.panel.heartbeat.Heartbeat;
import io.corral.panel.host.Host;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The panel talks to an agent only over TLS with the certificate pinned when the host was registered:
 * the fingerprint the admin gives (checked against what the agent presents), or, without one, the
 * certificate the agent presents, recorded in the audit log and shown on the host's page. An agent
 * presenting another certificate is refused, and its host shows down with the reason.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HostPinningTest extends WithRealAgent {
    @Inject
    Heartbeat heartbeat;
    @TestHTTPResource("/")
    java.net.URL panel;

    @Test
    void theGivenFingerprintIsPinnedAndAnotherRefused() {
        String other = "AB:".repeat(31) + "AB";
        register("wrong", other).statusCode(400).body("field", equalTo("fingerprint"))
                .body("detail", allOf(containsString(agent.fingerprint()), containsString(other)));
        Api.as("ada").get("/api/v1/hosts").then().body("total", equalTo(0));

        // as typed by hand: no colons, lower case
        register("pinned", agent.fingerprint().replace(":", "").toLowerCase(Locale.ROOT)).statusCode(201)
                .body("tlsFingerprint", equalTo(agent.fingerprint())).body("tlsFingerprintTaken", equalTo(false))
                .body("status", equalTo("up"));
        assertEquals(0, AuditEvent.count("action", "host.pin"));
    }

    @Test
    void theHostsPageRegistersAHostWithItsFingerprint() throws Exception {
        BrowserSession ada = new BrowserSession(panel.toString());
        ada.signIn("/admin/hosts", "ada", "ada-password");
        var refused = ada.submit("/admin/hosts", "/admin/hosts", Map.of("name", "formed", "agentUrl", agent.url(),
                "secret", RealAgent.SECRET, "fingerprint", "AB:".repeat(31) + "AB"));
        assertTrue(URLDecoder.decode(refused.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8)
                .contains("presents a certificate with SHA-256 " + agent.fingerprint()));
        assertEquals(303, ada.submit("/admin/hosts", "/admin/hosts", Map.of("name", "formed", "agentUrl", agent.url(),
                "secret", RealAgent.SECRET, "fingerprint", agent.fingerprint())).statusCode());
        Api.as("ada").get("/api/v1/hosts").then().body("items[0].name", equalTo("formed"))
                .body("items[0].tlsFingerprint", equalTo(agent.fingerprint())).body("items[0].tlsFingerprintTaken", equalTo(false));
    }

    @Test
    void withoutAFingerprintThePresentedCertificateIsPinnedAuditedAndShown() {
        int id = register("taken", null).statusCode(201)
                .body("tlsFingerprint", equalTo(agent.fingerprint())).body("tlsFingerprintTaken", equalTo(true))
                .extract().path("id");
        Api.as("ada").get("/api/v1/audit").then().body("items.find { it.action == 'host.pin' }.details",
                allOf(containsString(agent.fingerprint()), containsString("no fingerprint was given")));
        String page = new BrowserSession(panel.toString()).signIn("/admin/hosts/" + id, "ada", "ada-password").body();
        assertTrue(page.contains(agent.fingerprint()) && page.contains("taken from what the agent presented"), page);
    }

    @Test
    void anAgentPresentingAnotherCertificateIsRefusedAndItsHostShownDownWithTheReason() throws Exception {
        int id = AdminSteps.IN_PROCESS.host("rekeyed", agent);
        String pinned = agent.fingerprint();
        agent.startWithNewKey();
        assertNotEquals(pinned, agent.fingerprint());

        heartbeat.beat(host(id));
        lastHeardLongAgo(id);
        heartbeat.beat(host(id));
        Api.as("ada").get("/api/v1/hosts/" + id).then().body("status", equalTo("down"))
                .body("heartbeatError", allOf(containsString("does not match the pinned one"), containsString(agent.fingerprint()),
                        containsString(pinned)));
        String page = new BrowserSession(panel.toString()).signIn("/admin/hosts/" + id, "ada", "ada-password").body();
        assertTrue(page.contains("does not match the pinned one"), page);

        // the admin pins the new certificate, which the agent must present
        Api.as("ada").contentType(ContentType.JSON).body("{\"fingerprint\":\"" + pinned + "\"}").patch("/api/v1/hosts/" + id)
                .then().statusCode(400).body("field", equalTo("fingerprint"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"fingerprint\":\"" + agent.fingerprint() + "\"}").patch("/api/v1/hosts/" + id)
                .then().statusCode(200).body("tlsFingerprint", equalTo(agent.fingerprint()));
        heartbeat.beat(host(id));
        Api.as("ada").get("/api/v1/hosts/" + id).then().body("status", equalTo("up")).body("heartbeatError", nullValue());
    }

    @Test
    void aHostRegisteredBeforeAgentsSpokeTlsIsPinnedAtItsNextHeartbeat() {
        int id = AdminSteps.IN_PROCESS.host("older", agent);
        unpin(id); // as the migration leaves it
        heartbeat.beat(host(id));
        Api.as("ada").get("/api/v1/hosts/" + id).then().body("tlsFingerprint", equalTo(agent.fingerprint()))
                .body("tlsFingerprintTaken", equalTo(true)).body("status", equalTo("up"));
        assertEquals(1, AuditEvent.count("action = ?1 and actor = ?2", "host.pin", "heartbeat"));
    }

    private static ValidatableResponse register(String name, String fingerprint) {
        return Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"agentUrl\":\"" + agent.url() + "\",\"secret\":\""
                + RealAgent.SECRET + "\"" + (fingerprint == null ? "" : ",\"fingerprint\":\"" + fingerprint + "\"") + "}")
                .post("/api/v1/hosts").then();
    }


    @Transactional
    void unpin(long id) {
        Host.<Host>findById(id).tlsFingerprint = null;
    }
}
