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
}
