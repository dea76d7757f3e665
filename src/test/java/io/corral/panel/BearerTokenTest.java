package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.identity.ApiTenant;
import io.corral.panel.identity.VerifiedBearerTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API against real Keycloak tokens: who gets in (401), and which role may do what (403). */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class BearerTokenTest {
    private static final String API_TENANT = ApiTenant.API;

    @Inject
    Fixtures fixtures;
    @Inject
    VerifiedBearerTokens verified;
    private long acme;

    @BeforeEach
    void world() {
        fixtures.wipe();
        acme = fixtures.tenantWith("acme", "cleo").id;
    }

    @Test
    void noTokenOrAForgedOneIsRefusedWith401() throws Exception {
        given().get("/api/v1/servers").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/v1/servers").then().statusCode(401);
        String real = TestKeycloak.get().token("cleo");
        String[] parts = real.split("\\.");
        // the same claims with the signature of another token: a changed payload no longer matches its signature
        String admin = TestKeycloak.get().token("ada");
        given().auth().oauth2(parts[0] + "." + admin.split("\\.")[1] + "." + parts[2]).get("/api/v1/hosts").then().statusCode(401);
        given().auth().oauth2(selfSigned(parts[0], admin.split("\\.")[1])).get("/api/v1/hosts").then().statusCode(401);
        given().auth().oauth2(real).get("/api/v1/servers").then().statusCode(200);
    }

    @Test
    void anExpiredTokenIsRefusedWith401EvenOnceRemembered() {
        String brief = TestKeycloak.get().briefToken("cleo");
        given().auth().oauth2(brief).get("/api/v1/servers").then().statusCode(200);
        assertTrue(verified.remembers(API_TENANT, brief), "a verified token is remembered");
        long expires = Long.parseLong(claim(brief, "exp"));
        Await.until("the token's expiry", Duration.ofSeconds(10), () -> Instant.now().getEpochSecond() > expires + 1);
        given().auth().oauth2(brief).get("/api/v1/servers").then().statusCode(401);
        assertFalse(verified.remembers(API_TENANT, brief), "an expired token is forgotten");
    }

    @Test
    void aChangedCopyOfARememberedTokenIsVerifiedAfreshAndRefused() throws Exception {
        String real = TestKeycloak.get().token("cleo");
        given().auth().oauth2(real).get("/api/v1/servers").then().statusCode(200);
        assertTrue(verified.remembers(API_TENANT, real));
        String[] parts = real.split("\\.");
        String admin = TestKeycloak.get().token("ada");
        given().auth().oauth2(parts[0] + "." + admin.split("\\.")[1] + "." + parts[2]).get("/api/v1/hosts").then().statusCode(401);
        given().auth().oauth2(selfSigned(parts[0], parts[1])).get("/api/v1/servers").then().statusCode(401);
        given().auth().oauth2(real + "A").get("/api/v1/servers").then().statusCode(401);
        given().auth().oauth2(real).get("/api/v1/servers").then().statusCode(200);
    }

    @Test
    void rememberedTokensKeepTheirOwnTenantAndRoles() {
        long others = fixtures.tenantWith("globex", "otto").id;
        for (int round = 0; round < 5; round++) {
            Api.as("cleo").get("/api/v1/tenants/" + acme).then().statusCode(200);
            Api.as("cleo").get("/api/v1/tenants/" + others).then().statusCode(404);
            Api.as("otto").get("/api/v1/tenants/" + others).then().statusCode(200);
            Api.as("otto").get("/api/v1/tenants/" + acme).then().statusCode(404);
            Api.as("cleo").get("/api/v1/hosts").then().statusCode(403);
            Api.as("ada").get("/api/v1/hosts").then().statusCode(200);
        }
        assertTrue(verified.remembers(API_TENANT, TestKeycloak.get().token("otto")));
    }

    @Test
    void aRememberedTokenIsNotVerifiedAgain() {
        Api.as("cleo").get("/api/v1/servers").then().statusCode(200);
        double hits = rememberedTokenHits();
        Api.as("cleo").get("/api/v1/servers").then().statusCode(200);
        assertEquals(hits + 1, rememberedTokenHits(), "the second call with the same token was answered from memory");
    }

    private static double rememberedTokenHits() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("cache_gets_total{") && l.contains("cache=\"verified-bearer-tokens\"")
                && l.contains("result=\"hit\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    @Test
    void aTokenMadeForAnotherClientOfTheRealmIsRefused() {
        // admin-cli exists in every realm and hands out tokens without the panel's audience
        String foreign = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "cleo").formParam("password", "cleo-password")
                .post(TestKeycloak.get().realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(foreign).get("/api/v1/servers").then().statusCode(401);
    }

    @Test
    void eachRoleReachesOnlyItsEndpoints() {
        Api.as("ada").get("/api/v1/hosts").then().statusCode(200);
        Api.as("cleo").get("/api/v1/hosts").then().statusCode(403);
        Api.as("cleo").get("/api/v1/tenants").then().statusCode(403);
        Api.as("cleo").get("/api/v1/audit").then().statusCode(403);
        Api.as("cleo").get("/api/v1/servers").then().statusCode(200);

        String billing = TestKeycloak.get().clientToken("corral-billing", TestKeycloak.BILLING_SECRET);
        given().auth().oauth2(billing).get("/api/v1/hosts").then().statusCode(403);
        given().auth().oauth2(billing).get("/api/v1/servers").then().statusCode(403);
        given().auth().oauth2(billing).get("/api/v1/tenants").then().statusCode(403);

        String automation = TestKeycloak.get().clientToken("corral-automation", TestKeycloak.AUTOMATION_SECRET);
        given().auth().oauth2(automation).get("/api/v1/tenants").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void aCustomerWithoutATenantGroupSeesNothing() {
        // gus is in no tenant group: no customer role, so no customer endpoint either
        Api.as("gus").get("/api/v1/servers").then().statusCode(403);
    }

    static String claim(String token, String name) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"" + name + "\":\"?([^,\"}]+).*", "$1");
    }

    /** A well-formed token signed by a key Keycloak never had. */
    static String selfSigned(String header, String payload) throws Exception {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.generateKeyPair().getPrivate());
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }
}
