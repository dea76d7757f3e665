package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class PlanApiTest {
    @jakarta.inject.Inject
    Fixtures fixtures;

    @org.junit.jupiter.api.BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }
    static final String PLAN = """
            {"name":"%s","maxServers":3,"maxMemoryMiB":4096,"maxSwapMiB":2048,"maxCpus":4,"maxCpuWeight":300,"maxPids":6000,
             "maxDiskMiB":40960,"serverMaxMemoryMiB":2048,"serverMaxSwapMiB":1024,"serverMaxCpus":2,"serverMaxCpuWeight":200,
             "serverMaxPids":4000,"serverMaxDiskMiB":20480,"priceServerMonth":5,"priceMemoryGiBMonth":1.5,"currency":"EUR"}""";

    @Test
    void anAdminCreatesReadsAndChangesAPlan() {
        int id = Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small"))
                .when().post("/api/v1/plans")
                .then().statusCode(201).header("Location", containsString("/api/v1/plans/"))
                .body("name", equalTo("small")).body("maxServers", equalTo(3)).body("network", equalTo("private"))
                .extract().path("id");
        Api.as("ada").when().get("/api/v1/plans/" + id).then().statusCode(200).body("serverMaxMemoryMiB", equalTo(2048))
                .body("maxSwapMiB", equalTo(2048)).body("maxCpuWeight", equalTo(300)).body("maxPids", equalTo(6000))
                .body("serverMaxSwapMiB", equalTo(1024)).body("serverMaxCpuWeight", equalTo(200)).body("serverMaxPids", equalTo(4000));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small").replace("\"maxServers\":3", "\"maxServers\":5"))
                .when().put("/api/v1/plans/" + id).then().statusCode(200).body("maxServers", equalTo(5));
        // bandwidth and disk IO per server: left out, no limit; set, kept
        Api.as("ada").when().get("/api/v1/plans/" + id).then().body("serverNetworkInMbit", equalTo(0)).body("serverNetworkOutMbit", equalTo(0))
                .body("serverDiskMiBps", equalTo(0)).body("serverDiskIops", equalTo(0));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small").replace("\"currency\"",
                        "\"serverNetworkInMbit\":100,\"serverNetworkOutMbit\":20,\"serverDiskMiBps\":50,\"serverDiskIops\":2000,\"currency\""))
                .when().put("/api/v1/plans/" + id).then().statusCode(200).body("serverNetworkInMbit", equalTo(100))
                .body("serverNetworkOutMbit", equalTo(20)).body("serverDiskMiBps", equalTo(50)).body("serverDiskIops", equalTo(2000));
        // included traffic: left out, unmetered; set, kept; 0 includes none
        Api.as("ada").when().get("/api/v1/plans/" + id).then().body("serverIncludedTrafficGiB", nullValue())
                .body("priceTrafficOverageGiB", equalTo(0.0f));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small").replace("\"currency\"",
                        "\"serverIncludedTrafficGiB\":1024,\"priceTrafficOverageGiB\":0.0125,\"currency\""))
                .when().put("/api/v1/plans/" + id).then().statusCode(200).body("serverIncludedTrafficGiB", equalTo(1024))
                .body("priceTrafficOverageGiB", equalTo(0.0125f));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small").replace("\"currency\"", "\"serverIncludedTrafficGiB\":0,\"currency\""))
                .when().put("/api/v1/plans/" + id).then().statusCode(200).body("serverIncludedTrafficGiB", equalTo(0));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small").replace("\"currency\"", "\"network\":\"none\",\"currency\""))
                .when().put("/api/v1/plans/" + id).then().statusCode(200).body("network", equalTo("none"));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("small"))
                .when().post("/api/v1/plans")
                .then().statusCode(409).contentType("application/problem+json").body("field", equalTo("name"));
    }

    @Test
    void badInputNamesTheFieldAndTheRule() {
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("neg").replace("\"maxServers\":3", "\"maxServers\":-1"))
                .when().post("/api/v1/plans")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("maxServers")).body("detail", startsWith("maxServers: must be greater than or equal to 0"));
        // a plan can never allow a server more than a host agent takes
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("swap").replace("\"serverMaxSwapMiB\":1024", "\"serverMaxSwapMiB\":1048577"))
                .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo("serverMaxSwapMiB"));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("pids").replace("\"serverMaxPids\":4000", "\"serverMaxPids\":4194305"))
                .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo("serverMaxPids"));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("weight").replace("\"serverMaxCpuWeight\":200", "\"serverMaxCpuWeight\":10001"))
                .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo("serverMaxCpuWeight"));
        for (String rate : new String[] {"\"serverNetworkInMbit\":100001", "\"serverNetworkOutMbit\":-1", "\"serverDiskMiBps\":100001",
                "\"serverDiskIops\":10000001", "\"serverIncludedTrafficGiB\":-1", "\"serverIncludedTrafficGiB\":100000001",
                "\"priceTrafficOverageGiB\":-0.01", "\"priceTrafficOverageGiB\":0.00001"}) {
            String field = rate.substring(1, rate.indexOf('"', 1));
            Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("rate").replace("\"currency\"", rate + ",\"currency\""))
                    .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo(field))
                    .body("detail", startsWith(field + ": must"));
        }
        // and says what it allows of every limit
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("no-pids").replace("\"maxPids\":6000,", ""))
                .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo("maxPids"));
        Api.as("ada").contentType(ContentType.JSON).body(PLAN.formatted("dmz").replace("\"currency\"", "\"network\":\"dmz\",\"currency\""))
                .when().post("/api/v1/plans").then().statusCode(400).body("field", equalTo("network"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/v1/plans").then().statusCode(400).contentType("application/problem+json");
        Api.as("ada").when().get("/api/v1/plans/999999").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void customersCannotSeeOrChangePlans() {
        fixtures.tenantWith("acme", "cleo"); // a customer (and owner) of a tenant, not a user without roles
        Api.as("cleo").when().get("/api/v1/servers").then().statusCode(200);
        Api.as("cleo").when().get("/api/v1/plans").then().statusCode(403);
        Api.as("cleo").contentType(ContentType.JSON).body(PLAN.formatted("x")).when().post("/api/v1/plans").then().statusCode(403);
    }

    @Test
    void anonymousCallersAreAskedToSignIn() {
        given().when().get("/api/v1/plans").then().statusCode(401);
    }
}
