package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API document that takes an object id, called by a customer of tenant B with
 * the ids of tenant A's objects: 404 where customers may call it (the object is not theirs to know
 * of), 403 where only admins may; and nothing changes, in PostgreSQL or in Keycloak. Built from the
 * OpenAPI document, so a new endpoint is covered without a new test — or fails here until this test
 * knows which of tenant A's objects its id names.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class TenantIsolationTest {
    private static final List<String> TABLES = List.of("plan", "tenant", "host", "virtual_server", "operation", "audit_event");
    private static final String CUSTOMER = "customer";

    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;

    @Test
    void customerBReachesNoneOfTenantAsObjects() throws Exception {
        Map<String, Long> tenantA = tenantAObjects();
        JsonPath api = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = api.getMap("paths");
        String before = fingerprint();
        List<String> groupBefore = membersOfA();

        List<String> failures = new ArrayList<>();
        int probes = 0;
        for (var path : paths.entrySet()) {
            for (var operation : path.getValue().entrySet()) {
                List<Map<String, Object>> params = parameters(operation.getValue());
                boolean takesId = params.stream().anyMatch(p -> "path".equals(p.get("in")) || isIdName((String) p.get("name")));
                if (!path.getKey().startsWith("/api/") || !takesId) {
                    continue;
                }
                probes++;
                String method = operation.getKey().toUpperCase();
                RequestSpecification request = Api.as("cleo");
                String url = path.getKey();
                for (Map<String, Object> p : params) {
                    String name = (String) p.get("name");
                    if ("path".equals(p.get("in"))) {
                        url = url.replace("{" + name + "}", Long.toString(objectOf(tenantA, path.getKey(), name)));
                    } else if ("query".equals(p.get("in")) && isIdName(name)) {
                        request = request.queryParam(name, objectOf(tenantA, name, name));
                    }
                }
                Object schema = requestSchema(operation.getValue());
                if (schema != null) {
                    request = request.body(example(api, schema, tenantA));
                }
                Response answer = request.request(method, url);
                boolean customersMay = roles(operation.getValue()).contains(CUSTOMER);
                String what = method + " " + url + " answered " + answer.statusCode() + ": " + answer.asString();
                if (path.getKey().contains("{")) {
                    int expected = customersMay ? 404 : 403;
                    if (answer.statusCode() != expected) {
                        failures.add(what + " (expected " + expected + ")");
                    }
                } else if (answer.statusCode() < 400 && (answer.asString().contains("secret-of-a") || !method.equals("GET"))) {
                    failures.add(what + " (an id of tenant A in the query must not show or change A's objects)");
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(probes >= 15, "the document lists the endpoints that take ids, found only " + probes);
        assertEquals(before, fingerprint(), "no row of any table changed");
        assertEquals(groupBefore, membersOfA(), "tenant A's users in Keycloak are unchanged");
    }

    /** Tenant A (customer gus) with a plan, a host, a server and its operation; tenant B (customer cleo, an owner). */
    Map<String, Long> tenantAObjects() {
        fixtures.wipe();
        Plan plan = fixtures.plan(3, 4096, 4, 40960);
        Host host = fixtures.host("host-a", 8, 16384, 500_000);
        Tenant a = fixtures.tenant("acme", plan);
        fixtures.tenant("globex", plan);
        TestKeycloak.get().joinTenant("gus", "acme");
        TestKeycloak.get().joinTenant("cleo", "globex");
        int server = Api.as("gus").body("{\"hostname\":\"secret-of-a\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        int operation = Api.as("gus").get("/api/v1/operations?serverId=" + server).then().statusCode(200).extract().path("items[0].id");
        Map<String, Long> objects = new LinkedHashMap<>();
        objects.put("servers", (long) server);
        objects.put("operations", (long) operation);
        objects.put("tenants", a.id);
        objects.put("plans", plan.id);
        objects.put("hosts", host.id);
        objects.put("periods", ((Number) Api.as("ada").body("{\"startsOn\":\"2026-11-01\",\"endsOn\":\"2026-12-01\"}")
                .post("/api/v1/billing/periods").then().statusCode(201).extract().path("id")).longValue());
        return objects;
    }

    /** Tenant A's object an id names: by the collection before it in the path (.../<collection>/{id}) or the parameter's name (serverId). */
    static long objectOf(Map<String, Long> objects, String pathOrName, String name) {
        String kind;
        if (pathOrName.startsWith("/api/")) {
            List<String> segments = List.of(pathOrName.split("/"));
            kind = segments.get(segments.indexOf("{" + name + "}") - 1);
        } else {
            kind = name.substring(0, name.length() - 2) + "s";
        }
        Long id = objects.get(kind);
        if (id == null) {
            throw new AssertionError("this test does not know which of tenant A's objects '" + name + "' of " + pathOrName
                    + " names; add one of kind '" + kind + "' to tenantAObjects()");
        }
        return id;
    }

    static boolean isIdName(String name) {
        return name.endsWith("Id") && name.length() > 2;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parameters(Map<String, Object> operation) {
        return (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of());
    }

    @SuppressWarnings("unchecked")
    static List<String> roles(Map<String, Object> operation) {
        var security = (List<Map<String, List<String>>>) operation.getOrDefault("security", List.of());
        return security.stream().flatMap(s -> s.values().stream()).flatMap(List::stream).toList();
    }

    @SuppressWarnings("unchecked")
    static Object requestSchema(Map<String, Object> operation) {
        var body = (Map<String, Object>) operation.get("requestBody");
        if (body == null) {
            return null;
        }
        var json = (Map<String, Object>) ((Map<String, Object>) body.get("content")).get("application/json");
        return json == null ? null : json.get("schema");
    }

    /** A body that passes the schema's own rules, so the answer is about the id, not about the body. */
    @SuppressWarnings("unchecked")
    static Object example(JsonPath api, Object schemaOrRef, Map<String, Long> objects) {
        Map<String, Object> schema = (Map<String, Object>) schemaOrRef;
        if (schema.containsKey("$ref")) {
            String name = ((String) schema.get("$ref")).substring("#/components/schemas/".length());
            schema = api.getMap("components.schemas." + name);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        var properties = (Map<String, Map<String, Object>>) schema.getOrDefault("properties", Map.of());
        for (var p : properties.entrySet()) {
            Map<String, Object> s = p.getValue();
            Object value = switch (String.valueOf(s.get("type"))) {
                case "integer" -> isIdName(p.getKey()) ? objectOf(objects, p.getKey(), p.getKey())
                        : s.containsKey("minimum") ? ((Number) s.get("minimum")).longValue() : 64;
                case "number" -> s.containsKey("minimum") ? s.get("minimum") : 1;
                case "boolean" -> false;
                case "array" -> List.of("hostname");
                default -> "email".equals(s.get("format")) || p.getKey().toLowerCase().contains("email") ? "probe@probe.test" : "probe";
            };
            body.put(p.getKey(), value);
        }
        return body;
    }

    String fingerprint() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = db.getConnection()) {
            for (String table : TABLES) {
                try (ResultSet r = c.createStatement().executeQuery(
                        "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from " + table + " t")) {
                    r.next();
                    all.append(table).append('=').append(r.getString(1)).append(' ');
                }
            }
        }
        return all.toString();
    }

    List<String> membersOfA() {
        String group = (String) TestKeycloak.get().group("/tenants/acme").get("id");
        return TestKeycloak.get().admin().get("/groups/" + group + "/members").then().statusCode(200).extract().jsonPath()
                .getList("collect { it.username + ':' + it.enabled }");
    }
}
