package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A tenant's API clients in the real Keycloak: an owner makes one in headless Chromium, a script trades its
 * secret for a token that acts as a customer of that tenant alone, and revoking it ends both new tokens and the
 * ones already issued.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ApiClientTest {
    static WebDriver browser;

    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;
    @TestHTTPResource("/")
    URL panel;
    TestKeycloak keycloak = TestKeycloak.get();
    long acme, globex, acmeServer, globexServer;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void world() {
        fixtures.wipe();
        setUp();
    }

    @Transactional
    void setUp() {
        Host host = fixtures.host("host-a", 4, 8192, 100_000);
        Tenant a = fixtures.tenantWith("acme", "cleo"); // cleo owns acme
        Tenant g = fixtures.tenantWith("globex", "gus");
        acme = a.id;
        globex = g.id;
        acmeServer = fixtures.server(a, host, "web-acme", VirtualServer.Observed.running).id;
        globexServer = fixtures.server(g, host, "web-globex", VirtualServer.Observed.running).id;
    }

    @Test
    void anOwnerMakesAClientInTheBrowserWhoseTokenActsForItsTenantAloneUntilRevoked() throws Exception {
        browser.manage().deleteAllCookies();
        Chromium.signIn(browser, panel + "users", "cleo");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(".*/tenants/" + acme + "/users$"));
        browser.findElement(By.name("name")).sendKeys("deploy script");
        browser.findElement(By.xpath("//button[text()='Make API client']")).click();
        // the answer is a new page: its element is waited for, or this finds nothing on the page it left
        String clientId = new WebDriverWait(browser, Duration.ofSeconds(20))
                .withMessage(() -> "the page after making a client: " + browser.findElement(By.tagName("body")).getText())
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("new-client-id"))).getText();
        String secret = browser.findElement(By.id("new-client-secret")).getText();
        assertTrue(clientId.startsWith("corral-api-acme-"), clientId);
        assertTrue(secret.length() >= 32, "Keycloak's generated secret");
        Chromium.shot(browser, "api-client-made");

        // a script's token: a customer of acme, not its owner
        String token = keycloak.clientToken(clientId, secret);
        given().auth().oauth2(token).get("/api/v1/servers").then().statusCode(200)
                .body("items.id", hasItem((int) acmeServer)).body("items.id", not(hasItem((int) globexServer)));
        given().auth().oauth2(token).get("/api/v1/servers/" + globexServer).then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/tenants/" + acme + "/api-clients").then().statusCode(403);
        given().auth().oauth2(token).contentType("application/json").body("{\"name\":\"more\"}")
                .post("/api/v1/tenants/" + acme + "/api-clients").then().statusCode(403);
        // it is not one of the tenant's users, and its secret is kept nowhere in the panel
        Api.as("cleo").get("/api/v1/tenants/" + acme + "/users").then().statusCode(200)
                .body("username", everyItem(not(startsWith("service-account-"))));
        assertEquals(0, Db.number(db, "select count(*) from api_client a, audit_event e where a::text like '%" + secret
                + "%' or e::text like '%" + secret + "%'"));

        // revoked in the browser: Keycloak issues no new token, and the one already issued (and remembered) is refused
        browser.get(panel + "tenants/" + acme + "/users");
        assertTrue(browser.findElement(By.id("api-clients")).getText().contains("deploy script"));
        assertFalse(browser.getPageSource().contains(secret), "the secret is shown once only");
        browser.findElement(By.cssSelector("button[aria-label='Revoke deploy script']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("api-clients"),
                "No API clients."));
        given().auth().oauth2(token).get("/api/v1/servers").then().statusCode(401);
        given().formParam("grant_type", "client_credentials").auth().preemptive().basic(clientId, secret)
                .post(keycloak.realmUrl() + "/protocol/openid-connect/token").then().statusCode(401);
        Api.as("ada").get("/api/v1/audit").then().body("items.action", hasItem("apiclient.revoke"));
    }

    @Test
    void aTokenIssuedBeforeItsClientWasRevokedOrItsTenantSuspendedIsRefused() {
        JsonPath made = make("cleo", acme, "nightly backup").statusCode(201).extract().jsonPath();
        String clientId = made.getString("client.clientId");
        assertEquals(keycloak.realmUrl() + "/protocol/openid-connect/token", made.getString("tokenUrl"));
        String beforeSuspension = keycloak.clientToken(clientId, made.getString("secret"));
        String beforeRevocation = keycloak.clientToken(clientId, made.getString("secret"));

        given().auth().oauth2(beforeSuspension).get("/api/v1/servers").then().statusCode(200); // verified and remembered
        Api.as("ada").post("/api/v1/tenants/" + acme + "/suspend").then().statusCode(200);
        given().auth().oauth2(beforeSuspension).get("/api/v1/servers").then().statusCode(401);
        Api.as("ada").post("/api/v1/tenants/" + acme + "/activate").then().statusCode(200);

        Api.as("cleo").delete("/api/v1/tenants/" + acme + "/api-clients/" + made.getLong("client.id")).then().statusCode(204);
        given().auth().oauth2(beforeRevocation).get("/api/v1/servers").then().statusCode(401);
        assertTrue(keycloakClients(clientId).isEmpty(), "the client is gone from Keycloak");
        Api.as("cleo").delete("/api/v1/tenants/" + acme + "/api-clients/" + made.getLong("client.id")).then().statusCode(404);
    }

    @Test
    void onlyTheTenantsOwnerAndAdminsMakeListAndRevokeItsClients() {
        long id = make("cleo", acme, "ci").statusCode(201).extract().jsonPath().getLong("client.id");
        Api.as("cleo").get("/api/v1/tenants/" + acme + "/api-clients").then().statusCode(200).body("name", equalTo(List.of("ci")))
                .body(not(containsString("secret")));
        Api.as("ada").get("/api/v1/tenants/" + acme + "/api-clients").then().statusCode(200).body("id", hasItem((int) id));
        // gus is a customer of globex: acme's clients do not exist for him; his own tenant's are its owner's to manage
        Api.as("gus").get("/api/v1/tenants/" + acme + "/api-clients").then().statusCode(404);
        Api.as("gus").delete("/api/v1/tenants/" + acme + "/api-clients/" + id).then().statusCode(404)
                .body("detail", equalTo("tenant " + acme + " does not exist"));
        Api.as("cleo").delete("/api/v1/tenants/" + acme + "/api-clients/" + (id + 1000)).then().statusCode(404)
                .body("detail", equalTo("API client " + (id + 1000) + " of tenant acme does not exist"));
        make("gus", globex, "mine").statusCode(403);
        Api.as("cleo").get("/api/v1/tenants/" + globex + "/api-clients").then().statusCode(404);
        assertEquals(1, Db.number(db, "select count(*) from api_client"));
    }

    @Test
    void refusalsNameTheFieldOrTheLimitAndLeaveNothingBehind() {
        make("cleo", acme, "").statusCode(400).body("field", equalTo("name"));
        make("cleo", acme, "x".repeat(101)).statusCode(400).body("field", equalTo("name"));
        make("cleo", acme, "tab\there").statusCode(400).body("field", equalTo("name")).body("detail", containsString("control characters"));
        make("cleo", acme, "deploy\u202Etxt.exe").statusCode(400).body("field", equalTo("name")); // shown reversed: a name posing as another
        for (int i = 0; i < 10; i++) {
            make("cleo", acme, "client " + i).statusCode(201);
        }
        make("cleo", acme, "one too many").statusCode(429).body("detail", containsString("has 10 API clients, the most it may have"));
        assertEquals(10, Db.number(db, "select count(*) from api_client"));
        assertEquals(10, keycloakClients("corral-api-acme-").size(), "Keycloak holds exactly the clients the panel lists");

        Api.as("ada").post("/api/v1/tenants/" + acme + "/suspend").then().statusCode(200);
        make("cleo", acme, "while suspended").statusCode(409).body("detail", containsString("suspended"));
        Api.as("ada").post("/api/v1/tenants/" + acme + "/activate").then().statusCode(200);
    }

    @Test
    void deletingATenantRemovesItsClientsFromKeycloak() {
        // a tenant of its own (deleting one removes its users: not the test users of the other tests)
        long initech = ((Number) Api.as("ada").body(Map.of("name", "Initech", "slug", "initech", "planId", planOf(acme),
                "ownerEmail", "bill@initech.test")).post("/api/v1/tenants").then().statusCode(201).extract().path("tenant.id")).longValue();
        String clientId = make("ada", initech, "ci").statusCode(201).extract().path("client.clientId");
        assertNotNull(keycloak.user("service-account-" + clientId));
        Api.as("ada").delete("/api/v1/tenants/" + initech).then().statusCode(200);
        assertTrue(keycloakClients(clientId).isEmpty());
        assertNull(keycloak.user("service-account-" + clientId));
    }

    @Transactional
    long planOf(long tenant) {
        return Tenant.<Tenant>findById(tenant).plan.id;
    }

    io.restassured.response.ValidatableResponse make(String user, long tenant, String name) {
        return Api.as(user).body(Map.of("name", name)).post("/api/v1/tenants/" + tenant + "/api-clients").then();
    }

    List<Map<String, Object>> keycloakClients(String clientIdPrefix) {
        return keycloak.admin().queryParam("clientId", clientIdPrefix).queryParam("search", true).get("/clients").then().statusCode(200)
                .extract().path("$");
    }
}
