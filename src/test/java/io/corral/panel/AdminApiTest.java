package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's endpoints: tenants, hosts, operations and the audit log; and that customers get none of them. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AdminApiTest {
    @Inject
    Fixtures fixtures;
    Plan plan;
    Host host;

    @BeforeEach
    void world() {
        fixtures.wipe();
        plan = fixtures.plan(3, 4096, 4, 40960);
        host = fixtures.host("host-a", 8, 16384, 500_000);
    }

    @Test
    @TestSecurity(user = "ada", roles = "admin")
    void tenantsAreCreatedChangedSuspendedAndAudited() {
        int id = given().contentType(ContentType.JSON).body("{\"name\":\"Acme Ltd\",\"slug\":\"acme\",\"planId\":" + plan.id + "}")
                .post("/api/v1/tenants").then().statusCode(201).body("status", equalTo("active")).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"name\":\"Again\",\"slug\":\"acme\",\"planId\":" + plan.id + "}")
                .post("/api/v1/tenants").then().statusCode(409).body("field", equalTo("slug"));
        given().contentType(ContentType.JSON).body("{\"name\":\"Bad\",\"slug\":\"Not A Slug\",\"planId\":" + plan.id + "}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("slug"));
        given().contentType(ContentType.JSON).body("{\"name\":\"No plan\",\"slug\":\"noplan\",\"planId\":999999}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("planId"));
        given().contentType(ContentType.JSON).body("{\"name\":\"Acme Group\",\"slug\":\"acme\",\"planId\":" + plan.id + "}")
                .put("/api/v1/tenants/" + id).then().statusCode(200).body("name", equalTo("Acme Group"));
        given().contentType(ContentType.JSON).body("{\"name\":\"Acme\",\"slug\":\"renamed\",\"planId\":" + plan.id + "}")
                .put("/api/v1/tenants/" + id).then().statusCode(400).body("field", equalTo("slug"));
        given().post("/api/v1/tenants/" + id + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        given().post("/api/v1/tenants/" + id + "/activate").then().statusCode(200).body("status", equalTo("active"));
        given().get("/api/v1/tenants").then().statusCode(200).body("total", equalTo(1)).body("items[0].planName", equalTo(plan.name));
        given().get("/api/v1/audit").then().statusCode(200)
                .body("items.action", hasItem("tenant.create")).body("items.action", hasItem("tenant.suspend"))
                .body("items.actor", hasItem("ada"));
        given().get("/api/v1/tenants/999999").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "ada", roles = "admin")
    void hostsShowCapacityNeverTheSecretAndCanBeDrained() {
        given().get("/api/v1/hosts").then().statusCode(200).body("items[0].name", equalTo("host-a"))
                .body("items[0].cores", equalTo(8)).body("items[0]", not(org.hamcrest.Matchers.hasKey("secret")))
                .body(not(containsString("unused-secret")));
        given().contentType(ContentType.JSON).body("{\"draining\":true,\"cpuOvercommit\":2}")
                .patch("/api/v1/hosts/" + host.id).then().statusCode(200).body("status", equalTo("draining")).body("cpuOvercommit", equalTo(2));
        given().contentType(ContentType.JSON).body("{\"cpuOvercommit\":0}")
                .patch("/api/v1/hosts/" + host.id).then().statusCode(400).body("field", equalTo("cpuOvercommit"));
        given().contentType(ContentType.JSON).body("{\"name\":\"nowhere\",\"agentUrl\":\"http://127.0.0.1:9\",\"secret\":\"0123456789abcdef\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("agentUrl"))
                .body("detail", containsString("cannot be reached"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"agentUrl\":\"ftp://x\",\"secret\":\"short\"}")
                .post("/api/v1/hosts").then().statusCode(400);
        given().get("/api/v1/hosts/999999").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "ada", roles = "admin")
    void thePagesAddPlansAndTenantsAndShowRefusals() {
        given().redirects().follow(false).formParam("name", "gold").formParam("maxServers", 9).formParam("maxMemoryMiB", 9000)
                .formParam("maxCpus", 9).formParam("maxDiskMiB", 90000).formParam("serverMaxMemoryMiB", 1024)
                .formParam("serverMaxCpus", 1).formParam("serverMaxDiskMiB", 9000).formParam("priceServerMonth", "12.50")
                .post("/admin/plans").then().statusCode(303);
        long gold = Plan.findByName("gold").orElseThrow().id;
        given().redirects().follow(false).formParam("name", "Initech").formParam("slug", "initech").formParam("planId", gold)
                .post("/admin/tenants").then().statusCode(303).header("Location", not(containsString("error")));
        given().redirects().follow(false).formParam("name", "Bad").formParam("slug", "Bad Slug").formParam("planId", gold)
                .post("/admin/tenants").then().statusCode(303).header("Location", containsString("error=slug"));
        given().get("/admin/tenants").then().statusCode(200).body(containsString("Initech")).body(containsString("gold"));
        given().formParam("name", "Bad").formParam("slug", "Bad Slug").formParam("planId", gold)
                .post("/admin/tenants").then().statusCode(200).body(containsString("slug: must be 1 to 40 lowercase letters"));
        given().redirects().follow(false).post("/admin/hosts/" + host.id + "/drain").then().statusCode(303);
        given().get("/admin/hosts").then().statusCode(200).body(containsString("draining")).body(containsString("Take servers again"));
    }

    @Test
    @TestSecurity(user = "cleo", roles = {"customer", "tenant:acme"})
    void customersGetNoneOfIt() {
        given().get("/admin/hosts").then().statusCode(403);
        given().get("/api/v1/hosts/" + host.id).then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"draining\":true}").patch("/api/v1/hosts/" + host.id).then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"slug\":\"x\",\"planId\":1}").post("/api/v1/tenants").then().statusCode(403);
        given().get("/api/v1/plans/" + plan.id).then().statusCode(403);
        given().get("/api/v1/operations/1").then().statusCode(404);
    }

    @Test
    void theApiIsDocumentedAndHealthAndMetricsAnswer() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/servers'.post.summary", containsString("Order a server"))
                .body("paths.'/api/v1/hosts'.post.summary", containsString("Register a host"));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
