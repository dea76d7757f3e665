package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signing in and out over plain HTTP, through Keycloak's own login page, as a browser does. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class BrowserSignInTest {
    @Inject
    Fixtures fixtures;
    @TestHTTPResource("/")
    URL panel;

    @BeforeEach
    void world() {
        fixtures.wipe();
        fixtures.tenantWith("acme", "cleo");
    }

    @Test
    void aCustomerSignsInOnKeycloaksPageLandsOnTheirServersAndSignsOut() {
        BrowserSession browser = new BrowserSession(panel.toString());
        var home = browser.signIn("/", "cleo", "cleo-password");
        assertEquals(200, home.statusCode());
        assertTrue(home.uri().toString().endsWith("/servers"), "lands on the home page, not " + home.uri());
        assertTrue(home.body().contains("Your servers") && home.body().contains("cleo") && home.body().contains("acme"),
                "the page names the user and the tenant from the token");

        var usage = browser.open("/usage.csv");
        assertEquals(200, usage.statusCode());
        assertTrue(usage.body().startsWith("period_start,period_end,charge_start"), "this month's usage downloads as CSV: " + usage.body());
        assertTrue(usage.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));

        var out = browser.open("/logout");
        assertTrue(out.uri().getPath().equals("/signed-out.html"), "signing out ends on the panel's signed-out page, not " + out.uri());
        var again = browser.open("/servers");
        assertTrue(again.uri().toString().startsWith(TestKeycloak.get().realmUrl()),
                "the Keycloak session ended too: the panel sends the browser to sign in again, not to " + again.uri());
    }

    @Test
    void aWrongPasswordStaysOnKeycloaksPageWithItsMessage() {
        var page = new BrowserSession(panel.toString()).signIn("/servers", "cleo", "not-the-password");
        assertTrue(page.uri().toString().startsWith(TestKeycloak.get().realmUrl()));
        assertTrue(page.body().contains("Invalid username or password"));
    }

    @Test
    void aPageScriptWithoutASessionIsToldSoInsteadOfRedirected() {
        // corral.js reloads the page on 499, which takes the user through sign-in and back
        given().redirects().follow(false).header("X-Requested-With", "JavaScript").get("/servers/1/state").then().statusCode(499);
        given().redirects().follow(false).get("/servers").then().statusCode(302);
    }
}
