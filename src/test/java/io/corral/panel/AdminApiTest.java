package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's endpoints: tenants, hosts, operations and the audit log; and that customers get none of them. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class AdminApiTest {
    @Inject
    Fixtures fixtures;
    Plan plan;
    Host host;
    @TestHTTPResource("/")
    java.net.URL panel;

    @BeforeEach
    void world() {
        fixtures.wipe();
        plan = fixtures.plan(3, 4096, 4, 40960);
        host = fixtures.host("host-a", 8, 16384, 500_000);
    }

    @Test
    void tenantsAreCreatedChangedSuspendedAndAudited() {
        int id = Api.as("ada").body("{\"name\":\"Acme Ltd\",\"slug\":\"acme\",\"planId\":" + plan.id + ",\"ownerEmail\":\"boss@acme.test\"}")
                .post("/api/v1/tenants").then().statusCode(201).body("tenant.status", equalTo("active"))
                .body("owner.username", equalTo("boss@acme.test")).extract().path("tenant.id");
        Api.as("ada").body("{\"name\":\"No owner\",\"slug\":\"noowner\",\"planId\":" + plan.id + "}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("ownerEmail"));
        Api.as("ada").body("{\"name\":\"Bad owner\",\"slug\":\"badowner\",\"planId\":" + plan.id + ",\"ownerEmail\":\"not-an-address\"}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("ownerEmail"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"Again\",\"slug\":\"acme\",\"planId\":" + plan.id + ",\"ownerEmail\":\"other@acme.test\"}")
                .post("/api/v1/tenants").then().statusCode(409).body("field", equalTo("slug"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"Bad\",\"slug\":\"Not A Slug\",\"planId\":" + plan.id + "}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("slug"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"No plan\",\"slug\":\"noplan\",\"planId\":999999,\"ownerEmail\":\"x@noplan.test\"}")
                .post("/api/v1/tenants").then().statusCode(400).body("field", equalTo("planId"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"Acme Group\",\"slug\":\"acme\",\"planId\":" + plan.id + "}")
                .put("/api/v1/tenants/" + id).then().statusCode(200).body("name", equalTo("Acme Group"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"Acme\",\"slug\":\"renamed\",\"planId\":" + plan.id + "}")
                .put("/api/v1/tenants/" + id).then().statusCode(400).body("field", equalTo("slug"));
        Api.as("ada").post("/api/v1/tenants/" + id + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        Api.as("ada").post("/api/v1/tenants/" + id + "/activate").then().statusCode(200).body("status", equalTo("active"));
        Api.as("ada").get("/api/v1/tenants").then().statusCode(200).body("total", equalTo(1)).body("items[0].planName", equalTo(plan.name));
        Api.as("ada").get("/api/v1/audit").then().statusCode(200)
                .body("items.action", hasItem("tenant.create")).body("items.action", hasItem("tenant.suspend"))
                .body("items.actor", hasItem("ada"));
        Api.as("ada").get("/api/v1/tenants/999999").then().statusCode(404);
    }

    @Test
    void hostsShowCapacityNeverTheSecretAndCanBeDrained() {
        Api.as("ada").get("/api/v1/hosts").then().statusCode(200).body("items[0].name", equalTo("host-a"))
                .body("items[0].cores", equalTo(8)).body("items[0]", not(org.hamcrest.Matchers.hasKey("secret")))
                .body(not(containsString("unused-secret")));
        Api.as("ada").contentType(ContentType.JSON).body("{\"draining\":true,\"cpuOvercommit\":2}")
                .patch("/api/v1/hosts/" + host.id).then().statusCode(200).body("status", equalTo("draining")).body("cpuOvercommit", equalTo(2));
        Api.as("ada").contentType(ContentType.JSON).body("{\"cpuOvercommit\":0}")
                .patch("/api/v1/hosts/" + host.id).then().statusCode(400).body("field", equalTo("cpuOvercommit"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"nowhere\",\"agentUrl\":\"https://127.0.0.1:9\",\"secret\":\"0123456789abcdef\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("agentUrl"))
                .body("detail", containsString("cannot be reached"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"plain\",\"agentUrl\":\"http://127.0.0.1:9\",\"secret\":\"0123456789abcdef\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("agentUrl"))
                .body("detail", containsString("must be https://"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"typo\",\"agentUrl\":\"https://127.0.0.1:9\",\"secret\":\"0123456789abcdef\","
                        + "\"fingerprint\":\"AB:CD\"}")
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("fingerprint"))
                .body("detail", containsString("corral-agent fingerprint"));
        Api.as("ada").contentType(ContentType.JSON).body("{\"name\":\"x\",\"agentUrl\":\"ftp://x\",\"secret\":\"short\"}")
                .post("/api/v1/hosts").then().statusCode(400);
        Api.as("ada").get("/api/v1/hosts/999999").then().statusCode(404);
    }

    @Test
    void thePagesAddPlansAndTenantsAndShowRefusals() {
        BrowserSession ada = signedIn("ada");
        Map<String, String> goldPlan = new java.util.HashMap<>(Map.of("name", "gold", "maxServers", "9", "maxMemoryMiB", "9000",
                "maxSwapMiB", "4500", "maxCpus", "9", "maxCpuWeight", "900", "maxPids", "36000", "maxDiskMiB", "90000"));
        goldPlan.putAll(Map.of("serverMaxMemoryMiB", "1024", "serverMaxSwapMiB", "512", "serverMaxCpus", "1", "serverMaxCpuWeight", "200",
                "serverMaxPids", "4000", "serverMaxDiskMiB", "9000", "priceServerMonth", "12.50", "priceCpuMonth", "3", "currency", "CHF"));
        goldPlan.putAll(Map.of("serverNetworkInMbit", "250", "serverDiskIops", "3000", "serverIncludedTrafficGiB", "2048",
                "priceTrafficOverageGiB", "0.01"));
        assertEquals(303, ada.submit("/admin/tenants", "/admin/plans", goldPlan).statusCode());
        String gold = Long.toString(Plan.findByName("gold").orElseThrow().id);
        assertTrue(ada.open("/admin/tenants").body().contains("CPU weight 200, 4,000 processes"));
        assertTrue(ada.open("/admin/tenants").body().contains("250/unlimited Mbit/s in/out"));
        assertTrue(ada.open("/admin/tenants").body().contains("disk unlimited MiB/s and 3,000 IOPS"));
        assertTrue(ada.open("/admin/tenants").body().contains("2,048 GiB sent a month included, then CHF0.01/GiB"));
        // its page changes it, every field kept as it was unless changed; a value past what an agent takes is refused there
        String planPage = ada.open("/admin/plans/" + gold).body();
        assertTrue(planPage.contains("name=\"serverMaxPids\" type=\"number\" min=\"8\" max=\"4194304\" value=\"4000\""), planPage);
        assertTrue(planPage.contains("name=\"serverNetworkInMbit\" type=\"number\" min=\"0\" max=\"100000\" value=\"250\""), planPage);
        assertTrue(planPage.contains("name=\"serverIncludedTrafficGiB\" type=\"number\" min=\"0\" max=\"100000000\" value=\"2048\""), planPage);
        goldPlan.put("serverMaxPids", "8000");
        goldPlan.put("serverIncludedTrafficGiB", ""); // left empty: unmetered
        assertEquals(303, ada.submit("/admin/plans/" + gold, "/admin/plans/" + gold, goldPlan).statusCode());
        Api.as("ada").get("/api/v1/plans/" + gold).then().body("serverMaxPids", equalTo(8000)).body("maxSwapMiB", equalTo(4500))
                .body("priceCpuMonth", equalTo(3.0f)).body("currency", equalTo("CHF"))
                .body("serverIncludedTrafficGiB", org.hamcrest.Matchers.nullValue()).body("priceTrafficOverageGiB", equalTo(0.01f));
        assertTrue(ada.open("/admin/plans/" + gold).body().contains("name=\"serverIncludedTrafficGiB\" type=\"number\" min=\"0\" max=\"100000000\" value=\"\""));
        goldPlan.put("serverMaxCpuWeight", "10001");
        var tooMuch = ada.submit("/admin/plans/" + gold, "/admin/plans/" + gold, goldPlan);
        assertTrue(tooMuch.headers().firstValue("Location").orElseThrow().contains("error=serverMaxCpuWeight"));
        Api.as("ada").get("/api/v1/plans/" + gold).then().body("serverMaxCpuWeight", equalTo(200));
        var created = ada.submit("/admin/tenants", "/admin/tenants", Map.of("name", "Initech", "slug", "initech", "planId", gold,
                "ownerEmail", "bill@initech.test"));
        assertEquals(200, created.statusCode());
        assertTrue(created.body().contains("bill@initech.test") && created.body().contains("temporary password"), created.body());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));
        var refused = ada.submit("/admin/tenants", "/admin/tenants", Map.of("name", "Bad", "slug", "Bad Slug", "planId", gold,
                "ownerEmail", "x@bad.test"));
        assertTrue(refused.headers().firstValue("Location").orElseThrow().contains("error=slug"));
        var page = ada.open("/admin/tenants");
        assertTrue(page.body().contains("Initech") && page.body().contains("gold"));
        assertFalse(page.body().contains("temporary password"), "the owner's password is shown once only");
        assertEquals(303, ada.submit("/admin/hosts", "/admin/hosts/" + host.id + "/drain", Map.of()).statusCode());
        assertTrue(ada.open("/admin/hosts").body().contains("Take servers again"));
    }

    /** At thousands of servers and hosts the lists are searched and paged, by API and on the pages; a customer's search stays in its tenant. */
    @Test
    void serversAndHostsAreSearchedAndPaged() {
        var acme = fixtures.tenant("acme", plan);
        var globex = fixtures.tenant("globex", plan);
        TestKeycloak.get().joinTenant("cleo", "acme");
        Host b = fixtures.host("host-b", 8, 16384, 500_000);
        var running = io.corral.panel.server.VirtualServer.Observed.running;
        fixtures.server(acme, host, "web1.acme.test", running);
        fixtures.server(acme, b, "WEB2.acme.test", io.corral.panel.server.VirtualServer.Observed.stopped);
        fixtures.server(globex, host, "db-1.globex.test", io.corral.panel.server.VirtualServer.Observed.failed);
        fixtures.server(globex, b, "web3.globex.test", running);

        Api.as("ada").get("/api/v1/servers?q=Web").then().statusCode(200).body("total", equalTo(3));
        Api.as("ada").get("/api/v1/servers?q=web&tenant=globex").then().body("items.hostname", equalTo(java.util.List.of("web3.globex.test")));
        Api.as("ada").get("/api/v1/servers?host=host-b&state=stopped").then().body("items.hostname", equalTo(java.util.List.of("WEB2.acme.test")));
        Api.as("ada").get("/api/v1/servers?q=_").then().body("total", equalTo(0)); // a wildcard typed is a character sought
        Api.as("ada").get("/api/v1/servers?q=web&size=2&page=1").then().body("total", equalTo(3)).body("items.hostname",
                equalTo(java.util.List.of("web3.globex.test")));
        Api.as("ada").get("/api/v1/servers?state=sleeping").then().statusCode(400).body("field", equalTo("state"))
                .body("detail", containsString("running"));
        Api.as("ada").get("/api/v1/servers?q=" + "x".repeat(101)).then().statusCode(400).body("field", equalTo("q"));
        Api.as("ada").queryParam("host", "a\u0000b").get("/api/v1/servers").then().statusCode(400).body("field", equalTo("host"));
        // a customer's search never reaches past its tenant, whatever tenant it names
        Api.as("cleo").get("/api/v1/servers?tenant=globex").then().statusCode(200).body("total", equalTo(0));
        Api.as("cleo").get("/api/v1/servers?q=web").then().body("items.hostname", equalTo(java.util.List.of("web1.acme.test", "WEB2.acme.test")));
        Api.as("cleo").get("/api/v1/servers?q=EB2&state=stopped&host=host-b").then().body("items.hostname", equalTo(java.util.List.of("WEB2.acme.test")));
        Api.as("cleo").get("/api/v1/servers?host=host-a&state=failed").then().body("total", equalTo(0)); // globex's db-1 is there

        Api.as("ada").get("/api/v1/hosts?q=B").then().statusCode(200).body("items.name", equalTo(java.util.List.of("host-b")))
                .body("items[0].servers", equalTo(2)).body("items[0].allocatedMemoryMiB", equalTo(128));
        Api.as("ada").get("/api/v1/hosts?status=down").then().body("total", equalTo(0));
        Api.as("ada").get("/api/v1/hosts?status=asleep").then().statusCode(400).body("field", equalTo("status"));
        Api.as("ada").get("/api/v1/hosts?q=t-_").then().body("total", equalTo(0)); // "host-a" has no "t-_" but "t-" and any character

        BrowserSession ada = signedIn("ada");
        String found = ada.open("/servers?q=web&size=2").body();
        assertTrue(found.contains("web1.acme.test") && found.contains("WEB2.acme.test") && !found.contains("web3.globex.test"), found);
        assertTrue(found.contains("1–2 of 3") && found.contains("href=\"/servers?q=web&amp;page=1&amp;size=2\""), found);
        String next = ada.open("/servers?q=web&page=1&size=2").body();
        assertTrue(next.contains("web3.globex.test") && next.contains("3–3 of 3") && next.contains("rel=\"prev\""), next);
        assertTrue(ada.open("/servers?q=nothing-like-it").body().contains("No server matches this search."));
        assertTrue(ada.open("/servers?page=9").body().contains("No servers on this page: the list has 4."));
        String echoed = ada.open("/servers?q=%3Cscript%3Ealert(1)%3C/script%3E").body();
        assertTrue(echoed.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"") && !echoed.contains("<script>alert(1)"), echoed);
        String hosts = ada.open("/admin/hosts?status=up&q=host-").body();
        assertTrue(hosts.contains("host-a") && hosts.contains("host-b") && hosts.contains("1–2 of 2"), hosts);
        assertTrue(ada.open("/admin/hosts?q=zzz").body().contains("No host matches this search."));
    }

    @Test
    void aFormWithoutItsCsrfFieldChangesNothing() {
        BrowserSession ada = signedIn("ada");
        ada.open("/admin/hosts"); // the session has a CSRF cookie, as a browser tricked by another site would
        assertEquals(400, ada.postWithoutCsrf("/admin/hosts/" + host.id + "/drain", Map.of()).statusCode());
        assertEquals(400, ada.postWithoutCsrf("/admin/tenants", Map.of("name", "Forged", "slug", "forged", "planId",
                Long.toString(plan.id), "ownerEmail", "evil@forged.test")).statusCode());
        Api.as("ada").get("/api/v1/hosts/" + host.id).then().body("status", equalTo("up"));
        Api.as("ada").get("/api/v1/tenants").then().body("total", equalTo(0));
    }

    @Test
    void customersGetNoneOfIt() {
        fixtures.tenant("acme", plan);
        TestKeycloak.get().joinTenant("cleo", "acme");
        assertEquals(403, new BrowserSession(panel.toString()).signIn("/admin/hosts", "cleo", "cleo-password").statusCode());
        Api.as("cleo").get("/api/v1/hosts/" + host.id).then().statusCode(403);
        Api.as("cleo").contentType(ContentType.JSON).body("{\"draining\":true}").patch("/api/v1/hosts/" + host.id).then().statusCode(403);
        Api.as("cleo").contentType(ContentType.JSON).body("{\"name\":\"x\",\"slug\":\"x\",\"planId\":1}").post("/api/v1/tenants").then().statusCode(403);
        Api.as("cleo").get("/api/v1/plans/" + plan.id).then().statusCode(403);
        Api.as("cleo").get("/api/v1/operations/1").then().statusCode(404);
    }

    BrowserSession signedIn(String user) {
        BrowserSession browser = new BrowserSession(panel.toString());
        assertEquals(200, browser.signIn("/servers", user, user + "-password").statusCode());
        return browser;
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
