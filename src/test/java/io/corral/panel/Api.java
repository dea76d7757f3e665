package io.corral.panel;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls to the panel's API as a test user, with a bearer token from the test run's Keycloak. */
final class Api {
    private Api() {
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(TestKeycloak.get().token(user)).contentType(ContentType.JSON);
    }

    /** What a shell script run in the server as its customer prints, once it has exited 0. */
    static String exec(String user, int server, String script) {
        return as(user).body(java.util.Map.of("command", java.util.List.of("sh", "-c", script))).post("/api/v1/servers/" + server + "/exec")
                .then().statusCode(200).body("exitCode", org.hamcrest.Matchers.equalTo(0)).extract().path("stdout");
    }
}
