package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenants and their users in the real Keycloak: made, invited, disabled and removed together, or not at all. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ProvisioningTest {
    @Inject
    Fixtures fixtures;
    @TestHTTPResource("/")
    URL panel;
    Plan plan;
    TestKeycloak keycloak = TestKeycloak.get();

    @BeforeEach
    void world() {
        fixtures.wipe();
        plan = fixtures.plan(2, 2048, 2, 20480);
    }

    int createTenant(String slug, String owner) {
        return Api.as("ada").body("{\"name\":\"" + slug + "\",\"slug\":\"" + slug + "\",\"planId\":" + plan.id
                + ",\"ownerEmail\":\"" + owner + "\"}").post("/api/v1/tenants").then().statusCode(201).extract().path("tenant.id");
    }

    @Test
    void aNewTenantGetsItsGroupAndAnOwnerWhoMustPickANewPassword() {
        var created = Api.as("ada").body("{\"name\":\"Initech\",\"slug\":\"initech\",\"planId\":" + plan.id
                + ",\"ownerEmail\":\"bill@initech.test\"}").post("/api/v1/tenants").then().statusCode(201).extract().jsonPath();
        String password = created.getString("owner.temporaryPassword");
        assertTrue(password.length() >= 12);

        assertNotNull(keycloak.group("/tenants/initech"));
        Map<String, Object> owner = keycloak.user("bill@initech.test");
        assertEquals(List.of("UPDATE_PASSWORD"), owner.get("requiredActions"));
        keycloak.admin().get("/users/" + owner.get("id") + "/groups").then().body("path", hasItem("/tenants/initech"));
        keycloak.admin().get("/users/" + owner.get("id") + "/role-mappings/realm").then().body("name", hasItem("tenant-owner"));

        // the temporary password is real: Keycloak takes it and asks for a new one before anything else
        var page = new BrowserSession(panel.toString()).signIn("/servers", "bill@initech.test", password);
        assertTrue(page.body().contains("password-new"), "Keycloak asks the owner to update the password");

        Api.as("ada").get("/api/v1/tenants/" + created.getInt("tenant.id")).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString(password)));
    }

    @Test
    void whenKeycloakRefusesTheOwnerNothingIsLeftOnEitherSide() {
        // Keycloak refuses the second step (the user exists), after the group was made
        keycloak.admin().body(Map.of("username", "taken@example.test", "email", "taken@example.test", "enabled", true))
                .post("/users").then().statusCode(201);
        Api.as("ada").body("{\"name\":\"Hooli\",\"slug\":\"hooli\",\"planId\":" + plan.id + ",\"ownerEmail\":\"taken@example.test\"}")
                .post("/api/v1/tenants").then().statusCode(409).body("field", equalTo("ownerEmail"))
                .body("detail", containsString("taken@example.test"));
        assertNull(keycloak.group("/tenants/hooli"), "the group made before the refusal is removed again");
        assertTrue(Tenant.findBySlug("hooli").isEmpty(), "no tenant row is kept");
        assertNotNull(keycloak.user("taken@example.test"), "the user that was there before is untouched");
        Api.as("ada").get("/api/v1/audit").then().body("items.action", org.hamcrest.Matchers.not(hasItem("tenant.create")));

        // a group left over in Keycloak: refused before anything is made
        keycloak.joinTenant("gus", "stale");
        Api.as("ada").body("{\"name\":\"Stale\",\"slug\":\"stale\",\"planId\":" + plan.id + ",\"ownerEmail\":\"new@stale.test\"}")
                .post("/api/v1/tenants").then().statusCode(409).body("field", equalTo("slug"));
        assertNull(keycloak.user("new@stale.test"));
        assertTrue(Tenant.findBySlug("stale").isEmpty());

        // and the same tenant goes through once the conflict is gone
        createTenant("hooli", "gavin@hooli.test");
        assertNotNull(keycloak.group("/tenants/hooli"));
    }

    @Test
    void anOwnerInvitesUsersOfTheirTenantOnly() {
        int acme = createTenant("acme", "owner@acme.test");
        int globex = createTenant("globex", "owner@globex.test");
        keycloak.joinTenant("cleo", "acme"); // cleo has the role tenant-owner
        keycloak.joinTenant("gus", "globex"); // gus is a plain customer

        String password = Api.as("cleo").body("{\"email\":\"dev@acme.test\"}").post("/api/v1/tenants/" + acme + "/users")
                .then().statusCode(201).body("username", equalTo("dev@acme.test")).extract().path("temporaryPassword");
        assertNotNull(password);
        keycloak.admin().get("/users/" + keycloak.user("dev@acme.test").get("id") + "/groups").then().body("path", hasItem("/tenants/acme"));
        Api.as("cleo").get("/api/v1/tenants/" + acme + "/users").then().statusCode(200)
                .body("username", hasItem("dev@acme.test")).body("username", hasItem("owner@acme.test"));

        Api.as("cleo").body("{\"email\":\"spy@acme.test\"}").post("/api/v1/tenants/" + globex + "/users").then().statusCode(404);
        Api.as("gus").body("{\"email\":\"friend@globex.test\"}").post("/api/v1/tenants/" + globex + "/users").then().statusCode(403);
        Api.as("cleo").body("{\"email\":\"not an address\"}").post("/api/v1/tenants/" + acme + "/users").then().statusCode(400)
                .body("field", equalTo("email"));
        // a person hidden as an API client's service account (the users list and a tenant's deletion tell them apart by the name)
        Api.as("cleo").body("{\"email\":\"service-account-corral-api-x@acme.test\"}").post("/api/v1/tenants/" + acme + "/users").then()
                .statusCode(400).body("field", equalTo("email")).body("detail", containsString("service-account-"));
        assertNull(keycloak.user("spy@acme.test"));
        assertNull(keycloak.user("friend@globex.test"));
    }

    @Test
    void suspendingATenantDisablesItsUsersAndActivatingEnablesThem() {
        int acme = createTenant("acme", "owner@acme.test");
        keycloak.joinTenant("cleo", "acme");
        Api.as("cleo").get("/api/v1/servers").then().statusCode(200);

        Api.as("ada").post("/api/v1/tenants/" + acme + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        assertEquals(false, keycloak.user("owner@acme.test").get("enabled"));
        assertEquals(false, keycloak.user("cleo").get("enabled"));
        var refused = new BrowserSession(panel.toString()).signIn("/servers", "cleo", "cleo-password");
        assertTrue(refused.body().contains("Account is disabled"), "a suspended tenant's user cannot sign in");

        Api.as("ada").post("/api/v1/tenants/" + acme + "/activate").then().statusCode(200);
        assertEquals(true, keycloak.user("cleo").get("enabled"));
        assertEquals(200, new BrowserSession(panel.toString()).signIn("/servers", "cleo", "cleo-password").statusCode());
    }

    @Test
    void deletingATenantRemovesItsUsersOnceItHasNoServers() {
        int acme = createTenant("acme", "owner@acme.test");
        long server = serverOf("acme");
        Api.as("ada").delete("/api/v1/tenants/" + acme).then().statusCode(409).body("detail", containsString("destroy them first"));
        assertNotNull(keycloak.user("owner@acme.test"));

        destroyed(server);
        Api.as("ada").delete("/api/v1/tenants/" + acme).then().statusCode(200).body("status", equalTo("deleted"));
        assertNull(keycloak.user("owner@acme.test"));
        assertNull(keycloak.group("/tenants/acme"));
        Api.as("ada").post("/api/v1/tenants/" + acme + "/suspend").then().statusCode(404);
    }

    @Transactional
    long serverOf(String slug) {
        Host host = fixtures.host("host-a", 2, 4096, 100_000);
        return fixtures.server(Tenant.findBySlug(slug).orElseThrow(), host, "web", VirtualServer.Observed.running).id;
    }

    @Transactional
    void destroyed(long server) {
        VirtualServer.update("desiredState = ?1, observedState = ?2 where id = ?3", VirtualServer.Desired.destroyed,
                VirtualServer.Observed.destroyed, server);
    }
}
