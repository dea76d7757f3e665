package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admins make networks and pools and attach them to hosts; every refusal names the field at fault. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NetworkApiTest {
    static final String PUB1 = """
            {"name":"pub1","kind":"public","ipv4Prefix":"192.0.2.0/24","gateway4":"192.0.2.1",
             "ipv6Prefix":"2001:db8:1::/64","gateway6":"2001:db8:1::1","resolvers":["192.0.2.53","2001:DB8:1::53"]}""";
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;
    @TestHTTPResource("/")
    URL panel;
    Host host;

    @BeforeEach
    void world() {
        fixtures.wipe();
        host = fixtures.host("host-a", 8, 16384, 100_000);
        fixtures.tenantWith("acme", "cleo");
    }

    @Test
    void anAdminMakesANetworkGivesItPoolsAndAttachesItToHosts() {
        int id = Api.as("ada").body(PUB1).post("/api/v1/networks").then().statusCode(201)
                .header("Location", containsString("/api/v1/networks/")).body("name", equalTo("pub1")).body("kind", equalTo("public"))
                .body("resolvers[1]", equalTo("2001:db8:1::53")).body("pools", hasSize(0)).extract().path("id");
        // the gateway and the broadcast address inside the range are never handed out: 8 of the 10
        Api.as("ada").body("{\"first\":\"192.0.2.1\",\"last\":\"192.0.2.10\"}").post("/api/v1/networks/" + id + "/pools").then().statusCode(201);
        Api.as("ada").body("{\"first\":\"192.0.2.250\",\"last\":\"192.0.2.255\"}").post("/api/v1/networks/" + id + "/pools").then().statusCode(201);
        Api.as("ada").body("{\"first\":\"2001:db8:1::10\",\"last\":\"2001:db8:1::ffff\"}").post("/api/v1/networks/" + id + "/pools")
                .then().statusCode(201).body("pools", hasSize(3));
        Api.as("ada").put("/api/v1/networks/" + id + "/hosts/" + host.id).then().statusCode(200).body("hosts[0].name", equalTo("host-a"));
        Api.as("ada").put("/api/v1/networks/" + id + "/hosts/" + host.id).then().statusCode(200).body("hosts", hasSize(1));
        Api.as("ada").get("/api/v1/networks/" + id).then().statusCode(200)
                .body("pools[0].first", equalTo("192.0.2.1")).body("pools[0].size", equalTo(9)).body("pools[0].used", equalTo(0))
                .body("pools[1].size", equalTo(5)).body("pools[2].first", equalTo("2001:db8:1::10")).body("pools[2].size", equalTo(65520));
        Api.as("ada").get("/api/v1/networks").then().statusCode(200).body("total", equalTo(1)).body("items[0].ipv6Prefix", equalTo("2001:db8:1::/64"));
        Api.as("ada").delete("/api/v1/networks/" + id + "/hosts/" + host.id).then().statusCode(200).body("hosts", hasSize(0));
        Api.as("ada").delete("/api/v1/networks/" + id).then().statusCode(204);
        Api.as("ada").get("/api/v1/networks/" + id).then().statusCode(404);
    }

    @Test
    void badNetworksAreRefusedNamingTheField() {
        Map<String, String[]> refusals = Map.of(
                "ipv4Prefix", new String[] {"\"ipv4Prefix\":\"192.0.2.0/24\"", "\"ipv4Prefix\":\"192.0.2.7/24\""},
                "gateway4", new String[] {"\"gateway4\":\"192.0.2.1\"", "\"gateway4\":\"198.51.100.1\""},
                "gateway6", new String[] {"\"gateway6\":\"2001:db8:1::1\"", "\"gateway6\":\"2001:db8:1::\""},
                "resolvers", new String[] {"\"192.0.2.53\"", "\"dns.example\""},
                "name", new String[] {"\"pub1\"", "\"Pub-1\""},
                "kind", new String[] {"\"public\"", "\"dmz\""});
        refusals.forEach((field, change) -> Api.as("ada").body(PUB1.replace(change[0], change[1])).post("/api/v1/networks").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo(field)));
        Api.as("ada").body(PUB1.replace("\"gateway4\":\"192.0.2.1\"", "\"gateway4\":\"192.0.2.255\"")).post("/api/v1/networks").then()
                .statusCode(400).body("detail", equalTo("gateway4: 192.0.2.255 is the broadcast address of 192.0.2.0/24, not one a gateway can have"));
        Api.as("ada").body(PUB1.replace(",\"gateway6\":\"2001:db8:1::1\"", "")).post("/api/v1/networks").then()
                .statusCode(400).body("field", equalTo("gateway6"));

        Api.as("ada").body(PUB1).post("/api/v1/networks").then().statusCode(201);
        Api.as("ada").body(PUB1).post("/api/v1/networks").then().statusCode(409).body("field", equalTo("name"));
        // a public network's addresses are in no other network; private ranges may repeat
        Api.as("ada").body(PUB1.replace("pub1", "priv1").replace("public", "private").replace("192.0.2.0/24", "192.0.0.0/16"))
                .post("/api/v1/networks").then().statusCode(409).body("field", equalTo("ipv4Prefix"))
                .body("detail", containsString("overlaps network pub1's 192.0.2.0/24"));
        String priv = """
                {"name":"%s","kind":"private","ipv4Prefix":"10.8.0.0/24","gateway4":"10.8.0.1"}""";
        Api.as("ada").body(priv.formatted("priv1")).post("/api/v1/networks").then().statusCode(201).body("ipv6Prefix", nullValue());
        int priv2 = Api.as("ada").body(priv.formatted("priv2")).post("/api/v1/networks").then().statusCode(201).extract().path("id");
        int priv1 = Api.as("ada").get("/api/v1/networks").then().extract().path("items.find { it.name == 'priv1' }.id");
        // but a host routes each address one way
        Api.as("ada").put("/api/v1/networks/" + priv1 + "/hosts/" + host.id).then().statusCode(200);
        Api.as("ada").put("/api/v1/networks/" + priv2 + "/hosts/" + host.id).then().statusCode(409).body("field", equalTo("hostId"))
                .body("detail", containsString("host host-a has network priv1"));
        Api.as("ada").put("/api/v1/networks/" + priv2 + "/hosts/999999").then().statusCode(404);
    }

    @Test
    void aPublicNetworksUplinkIsSetPerHostAndABadOneIsRefusedNamingIt() throws Exception {
        int id = Api.as("ada").body(PUB1).post("/api/v1/networks").then().statusCode(201).extract().path("id");
        Host other = fixtures.host("host-b", 8, 16384, 100_000);
        String attach = "/api/v1/networks/" + id + "/hosts/";
        Api.as("ada").body("{\"uplink\":\"eth1\"}").put(attach + host.id).then().statusCode(200)
                .body("hosts.find { it.name == 'host-a' }.uplink", equalTo("eth1"));
        // no body, not even a content type, as before uplinks: routed to the host
        given().auth().oauth2(TestKeycloak.get().token("ada")).put(attach + other.id).then().statusCode(200)
                .body("hosts.find { it.name == 'host-b' }.uplink", nullValue());
        assertEquals("eth1", uplink(host.id, id));
        assertEquals(null, uplink(other.id, id));

        for (String bad : List.of("eth 1", "eth1/x", "bond0:1", ".", "..", "an-uplink-of-16c", "ethé1", "eth1\n", "eth'1", "lo",
                "crb-pub1", "cv0123456789ab")) {
            Api.as("ada").body(Map.of("uplink", bad)).put(attach + host.id).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("uplink"));
        }
        Api.as("ada").body("{\"uplink\":\"eth/1\"}").put(attach + host.id).then().statusCode(400).body("detail", equalTo("uplink: must be a "
                + "Linux interface name: 1 to 15 of A-Z, a-z, 0-9, '_', '.' and '-', not '.' or '..', got 'eth/1'"));
        Api.as("ada").body("{\"uplink\":\"eth1.100\"}").put(attach + other.id).then().statusCode(200);
        Api.as("ada").body("{\"uplink\":\"\"}").put(attach + other.id).then().statusCode(200)
                .body("hosts.find { it.name == 'host-b' }.uplink", nullValue());
        assertEquals("eth1", uplink(host.id, id), "a refusal changes nothing");
        Api.as("ada").body("{\"uplink\":\"eth1\"}").put(attach + host.id).then().statusCode(200);
        Api.as("ada").get("/api/v1/audit").then().statusCode(200)
                .body("items.findAll { it.action == 'network.attach' }.details", equalTo(List.of("pub1 on host host-b, uplink none (was eth1.100)",
                        "pub1 on host host-b, uplink eth1.100 (was none)", "pub1 on host host-b", "pub1 on host host-a, uplink eth1")));

        int priv = Api.as("ada").body("{\"name\":\"priv1\",\"kind\":\"private\",\"ipv4Prefix\":\"10.8.0.0/24\",\"gateway4\":\"10.8.0.1\"}")
                .post("/api/v1/networks").then().statusCode(201).extract().path("id");
        Api.as("ada").body("{\"uplink\":\"eth1\"}").put("/api/v1/networks/" + priv + "/hosts/" + host.id).then().statusCode(400)
                .body("field", equalTo("uplink")).body("detail", containsString("only a public network has an uplink"));
        Api.as("ada").get("/api/v1/networks/" + priv).then().body("hosts", hasSize(0));
        Api.as("ada").body("{\"uplink\":\"\"}").put("/api/v1/networks/" + priv + "/hosts/" + host.id).then().statusCode(200);

        // the database holds to the same rule, whatever writes to it
        for (String write : List.of("update host_network set uplink = 'eth 1' where network_id = " + id,
                "update host_network set uplink = 'crb-pub1' where network_id = " + id,
                "update host_network set uplink = 'eth1' where network_id = " + priv)) {
            try (Connection c = db.getConnection()) {
                SQLException refused = assertThrows(SQLException.class, () -> c.createStatement().executeUpdate(write), write);
                assertEquals("23514", refused.getSQLState(), write + ": " + refused.getMessage());
            }
        }
    }

    String uplink(long hostId, long networkId) throws SQLException {
        try (Connection c = db.getConnection(); var r = c.createStatement().executeQuery("select uplink from host_network where host_id = "
                + hostId + " and network_id = " + networkId)) {
            assertTrue(r.next(), "attached");
            return r.getString(1);
        }
    }

    @Test
    void badPoolsAreRefusedNamingTheField() {
        int id = Api.as("ada").body(PUB1).post("/api/v1/networks").then().statusCode(201).extract().path("id");
        String pools = "/api/v1/networks/" + id + "/pools";
        Api.as("ada").body("{\"first\":\"192.0.2.10\",\"last\":\"192.0.2.50\"}").post(pools).then().statusCode(201);
        Api.as("ada").body("{\"first\":\"192.0.2.40\",\"last\":\"192.0.2.80\"}").post(pools).then().statusCode(409).body("field", equalTo("first"))
                .body("detail", equalTo("first: 192.0.2.40–192.0.2.80 overlaps the pool 192.0.2.10–192.0.2.50 of network pub1"));
        Api.as("ada").body("{\"first\":\"192.0.2.200\",\"last\":\"192.0.3.5\"}").post(pools).then().statusCode(400).body("field", equalTo("last"))
                .body("detail", equalTo("last: 192.0.3.5 is outside the network's prefix 192.0.2.0/24"));
        Api.as("ada").body("{\"first\":\"198.51.100.1\",\"last\":\"198.51.100.9\"}").post(pools).then().statusCode(400).body("field", equalTo("first"));
        Api.as("ada").body("{\"first\":\"192.0.2.90\",\"last\":\"192.0.2.60\"}").post(pools).then().statusCode(400).body("field", equalTo("last"));
        Api.as("ada").body("{\"first\":\"192.0.2.60\",\"last\":\"2001:db8:1::9\"}").post(pools).then().statusCode(400).body("field", equalTo("last"));
        Api.as("ada").body("{\"first\":\"192.0.2.1\",\"last\":\"192.0.2.1\"}").post(pools).then().statusCode(400).body("field", equalTo("last"))
                .body("detail", containsString("holds no address a server can get"));
        Api.as("ada").body("{\"first\":\"192.0.2.60\",\"last\":\"nine\"}").post(pools).then().statusCode(400).body("field", equalTo("last"));
        int v4only = Api.as("ada").body("{\"name\":\"v4\",\"kind\":\"private\",\"ipv4Prefix\":\"10.9.0.0/24\",\"gateway4\":\"10.9.0.1\"}")
                .post("/api/v1/networks").then().statusCode(201).extract().path("id");
        Api.as("ada").body("{\"first\":\"2001:db8:1::10\",\"last\":\"2001:db8:1::20\"}").post("/api/v1/networks/" + v4only + "/pools")
                .then().statusCode(400).body("field", equalTo("first")).body("detail", containsString("has no IPv6 prefix"));
        Api.as("ada").get("/api/v1/networks/" + id).then().body("pools", hasSize(1));
    }

    @Test
    void networksAreForAdminsOnly() {
        Api.as("cleo").get("/api/v1/networks").then().statusCode(403);
        Api.as("cleo").body(PUB1).post("/api/v1/networks").then().statusCode(403);
    }

    @Test
    void theNetworksPageMakesANetworkAPoolAndAnAttachmentAndShowsHowFull() {
        BrowserSession ada = new BrowserSession(panel.toString());
        assertEquals(200, ada.signIn("/servers", "ada", "ada-password").statusCode());
        assertEquals(303, ada.submit("/admin/networks", "/admin/networks", Map.of("name", "pub1", "kind", "public", "ipv4Prefix", "192.0.2.0/24",
                "gateway4", "192.0.2.1", "ipv6Prefix", "", "gateway6", "", "resolvers", "192.0.2.53 192.0.2.54")).statusCode());
        int id = Api.as("ada").get("/api/v1/networks").then().body("items[0].resolvers", hasSize(2)).extract().path("items[0].id");
        assertEquals(303, ada.submit("/admin/networks", "/admin/networks/" + id + "/pools", Map.of("first", "192.0.2.10", "last", "192.0.2.13"))
                .statusCode());
        assertEquals(303, ada.submit("/admin/networks", "/admin/networks/" + id + "/attach", Map.of("hostId", host.id.toString())).statusCode());
        var refused = ada.submit("/admin/networks", "/admin/networks/" + id + "/pools", Map.of("first", "192.0.2.12", "last", "192.0.2.20"));
        assertTrue(refused.headers().firstValue("Location").orElseThrow().contains("error=first"), refused.headers().toString());
        String page = ada.open("/admin/networks").body();
        assertTrue(page.contains("192.0.2.10 – 192.0.2.13") && page.contains("0%") && page.contains("host-a"), page);
        assertEquals(303, ada.submit("/admin/networks", "/admin/networks/" + id + "/attach", Map.of("hostId", host.id.toString(),
                "uplink", "eth1")).statusCode());
        assertTrue(ada.open("/admin/networks").body().contains("uplink eth1"), "the host's uplink is shown");
        var badUplink = ada.submit("/admin/networks", "/admin/networks/" + id + "/attach", Map.of("hostId", host.id.toString(), "uplink", "eth/1"));
        assertTrue(badUplink.headers().firstValue("Location").orElseThrow().contains("error=uplink"), badUplink.headers().toString());
    }
}
