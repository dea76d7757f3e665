package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.ApiDocument.Operation;
import io.corral.panel.ApiDocument.Parameter;
import io.corral.panel.server.AllocationFold;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Tenant A's objects (a running server, its operation, its usage, its users) against the users of
 * tenant B — a customer and the tenant's owner — and the billing client, over every operation of the
 * API document and every browser page (both found, not listed, so a new one is covered without a new
 * test). A request that names A's objects must be answered exactly as if the ids named nothing (404
 * where customers may call it, 403 where they may not); lists, creates and downloads must show none
 * of A; and no row of any table of the schema changes, nor A's users in Keycloak. Each request a
 * customer may make is then proved real: the same request by A's owner succeeds.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class TenantIsolationTest extends WithRealAgent {
    static final String OWNER = "otto", OWNER_OF_B = "cleo", CUSTOMER_OF_B = "gus";
    static final String CUSTOMER = "customer", BILLING = "billing";
    /** Names of A's objects: a page or answer that shows one of them shows A. */
    static final List<String> MARKS = List.of("secret-of-a", "plan-of-a", "Acme");
    /** An id no object has: A's ids must be answered as this one is. */
    static final long MISSING = 987654321L;
    /** The ids of A's snapshot and (one more) backup, and of those made for a proof that deletes one. */
    static final long COPY = 424242L;
    long copiesMade = COPY + 2;
    /** Operations only an admin may make for any tenant, so their proof is an admin's (customers may not name a tenant, even their own). */
    static final List<String> PROVED_BY_ADMIN = List.of("POST /api/v1/servers");
    /** Reads that hold no tenant's objects, the same for every caller: the templates the fleet offers. */
    static final List<String> OF_NO_TENANT = List.of("GET /api/v1/templates");

    @TestHTTPResource("/")
    URL panel;
    @Inject
    DataSource db;
    @Inject
    AllocationFold fold;

    final List<String> failures = new ArrayList<>();
    Map<String, Long> a;
    String apiClientToken;

    @Test
    void anotherTenantsUsersAndTheBillingClientReachNothingOfTenantA() throws Exception {
        a = tenantAObjects();
        apiClientToken = apiClientToken(OWNER_OF_B, ((Number) Api.as("ada").get("/api/v1/tenants").then().extract()
                .path("items.find { it.slug == 'globex' }.id")).longValue());
        List<Operation> operations = ApiDocument.read().operations();
        List<Pages.Page> pages = Pages.all();
        // the panel folds the allocation change its own order noted in the background: folded first, so nothing moves but what a request does
        Await.folded(fold, db);
        String before = fingerprint();
        List<String> membersBefore = membersOfA();

        for (String user : List.of(CUSTOMER_OF_B, OWNER_OF_B)) {
            String token = TestKeycloak.get().token(user);
            operations.forEach(o -> probe(user, CUSTOMER, token, o));
            BrowserSession browser = signIn(user);
            pages.forEach(p -> probe(user, browser, p));
        }
        String billing = TestKeycloak.get().clientToken("corral-billing", TestKeycloak.BILLING_SECRET);
        operations.forEach(o -> probe("the billing client", BILLING, billing, o));
        String script = apiClientToken;
        operations.forEach(o -> probe("an API client of B", CUSTOMER, script, o));

        String after = fingerprint();
        expect(before.equals(after), "rows changed:\n" + before + "→\n" + after);
        expect(membersBefore.equals(membersOfA()), "tenant A's users in Keycloak changed: " + membersBefore + " → " + membersOfA());
        assertTrue(operations.size() >= 30 && pages.size() >= 20, operations.size() + " operations and " + pages.size() + " pages found");

        // each request a customer may make would have reached A's objects for A's owner
        String ownerToken = TestKeycloak.get().token(OWNER);
        String adminToken = TestKeycloak.get().token("ada");
        for (Operation o : operations) {
            if (o.admits(CUSTOMER)) {
                prove(o, PROVED_BY_ADMIN.contains(o.toString()) ? adminToken : ownerToken);
            }
        }
        BrowserSession owner = signIn(OWNER);
        pages.stream().filter(p -> p.admits(CUSTOMER)).forEach(p -> prove(owner, p));
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /**
     * Tenant A (acme, owner otto, plan-of-a) with a running server (secret-of-a), its operation, an hour
     * of its usage; tenant B (globex, owner cleo and customer gus) on a plan without room for a server,
     * so that an order of B's that landed in A would show; the host and a billing period.
     */
    Map<String, Long> tenantAObjects() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        int planA = Api.as("ada").body("""
                {"name":"plan-of-a","maxServers":8,"maxMemoryMiB":4096,"maxSwapMiB":4096,"maxCpus":8,"maxCpuWeight":800,
                 "maxPids":32768,"maxDiskMiB":8192,"serverMaxMemoryMiB":512,"serverMaxSwapMiB":512,"serverMaxCpus":1,
                 "serverMaxCpuWeight":100,"serverMaxPids":4096,"serverMaxDiskMiB":2048,"serverMaxSnapshots":16,"serverMaxBackups":20,
                 "network":"none"}""").post("/api/v1/plans").then().statusCode(201)
                .extract().path("id");
        admin.tenant("Acme", ValidRequests.TENANT, planA, OWNER);
        admin.tenant("Globex", "globex", admin.plan("plan-of-b", 0), OWNER_OF_B);
        TestKeycloak.get().joinTenant(CUSTOMER_OF_B, "globex");
        int host = admin.host("local", agent);
        int server = Await.runningServer(OWNER, "secret-of-a");
        int operation = Api.as(OWNER).get("/api/v1/operations?serverId=" + server).then().statusCode(200).extract().path("items[0].id");
        Await.operation(operation, "succeeded"); // so that nothing changes from here on but what a request does
        fixtures.usageHour(server, Instant.now().atZone(ZoneOffset.UTC).withDayOfMonth(1).toInstant().truncatedTo(ChronoUnit.DAYS), 1800, 1);
        Map<String, Long> objects = new LinkedHashMap<>();
        objects.put("servers", (long) server);
        fixtures.copies(server, COPY, COPY + 1);
        objects.put("snapshots", COPY);
        objects.put("backups", COPY + 1);
        Api.as(OWNER).body("{\"frequency\":\"daily\",\"hour\":3,\"retention\":2}").put("/api/v1/servers/" + server + "/backup-schedule")
                .then().statusCode(200);
        objects.put("operations", (long) operation);
        objects.put("tenants", ((Number) Api.as("ada").get("/api/v1/tenants").then().extract()
                .path("items.find { it.slug == '" + ValidRequests.TENANT + "' }.id")).longValue());
        objects.put("plans", (long) planA);
        objects.put("hosts", (long) host);
        objects.put("networks", ((Number) Api.as("ada").body(ValidRequests.NETWORK).post("/api/v1/networks").then().statusCode(201)
                .extract().path("id")).longValue());
        objects.put("api-clients", ((Number) Api.as(OWNER).body("{\"name\":\"Acme deploy\"}").post("/api/v1/tenants/"
                + objects.get("tenants") + "/api-clients").then().statusCode(201).extract().path("client.id")).longValue());
        objects.put("periods", ((Number) Api.as("ada").body("{\"startsOn\":\"2026-11-01\",\"endsOn\":\"2026-12-01\"}")
                .post("/api/v1/billing/periods").then().statusCode(201).extract().path("id")).longValue());
        objects.put("runs", 1L); // runs of moves are admins' alone: refused before any is looked up
        return objects;
    }

    /** One operation of the API as an outsider with the given role. */
    void probe(String who, String role, String token, Operation o) {
        var answer = call(token, o, a);
        String what = who + ": " + o + " answered " + answer.statusCode() + " " + answer.asString();
        expect(answer.statusCode() < 500, what);
        if (!o.admits(role)) {
            expect(answer.statusCode() == 403, what + " (expected 403: not for " + role + "s)");
        } else if (!role.equals(BILLING)) { // a billing system reads every tenant's usage; that is what it is for
            if (o.parameters().stream().anyMatch(Parameter::isId)) {
                var missing = call(token, o, missingIds());
                expect(answer.statusCode() == missing.statusCode() && sameBut(answer.asString(), missing.asString()),
                        what + " (expected as for ids that name nothing: " + missing.statusCode() + " " + missing.asString() + ")");
            }
            expect(noMarkOfA(answer.asString()), what + " (shows tenant A)");
        }
    }

    /** One page as an outsider, signed in through Keycloak. */
    void probe(String who, BrowserSession browser, Pages.Page page) {
        HttpResponse<String> answer = open(browser, page, a);
        String what = who + ": page " + page + " answered " + answer.statusCode();
        expect(answer.statusCode() < 500, what + " " + answer.body());
        if (!page.admits(CUSTOMER)) {
            expect(answer.statusCode() == 403, what + " (expected 403: not for customers)");
            return;
        }
        if (page.path().contains("{")) {
            HttpResponse<String> missing = open(browser, page, missingIds());
            expect(answer.statusCode() == missing.statusCode() && sameBut(answer.body(), missing.body()),
                    what + " " + answer.body() + " (expected as for ids that name nothing: " + missing.statusCode() + " " + missing.body() + ")");
        }
        expect(noMarkOfA(answer.body()), what + " (shows tenant A)");
    }

    /** The same request as A's owner (or an admin) succeeds; a list or download without ids shows A. */
    void prove(Operation o, String token) {
        var answer = call(token, o, o.method().equals("DELETE") ? withObjectOfItsOwn(o.path(), a) : a);
        String what = "proof " + o + " answered " + answer.statusCode() + " " + answer.asString();
        expect(answer.statusCode() < 300, what + " (expected success for the owner)");
        if (o.method().equals("GET") && o.parameters().stream().noneMatch(Parameter::isId) && !OF_NO_TENANT.contains(o.toString())) {
            expect(!noMarkOfA(answer.asString()), what + " (expected tenant A's objects)");
        }
    }

    void prove(BrowserSession owner, Pages.Page page) {
        HttpResponse<String> answer = open(owner, page, page.destroys() ? withObjectOfItsOwn(page.path(), a) : a);
        String what = "proof page " + page + " answered " + answer.statusCode();
        expect(answer.statusCode() < 400 && !answer.body().contains("role=\"alert\""),
                what + " " + answer.body() + " (expected success for the owner)");
        if (page.method().equals("GET") && !page.path().contains("{")) {
            expect(!noMarkOfA(answer.body()), what + " (expected tenant A's objects)");
        }
    }

    io.restassured.response.Response call(String token, Operation o, Map<String, Long> ids) {
        RequestSpecification request = given().auth().oauth2(token).contentType(ContentType.JSON);
        String url = o.path();
        for (Parameter p : o.parameters()) {
            if ("path".equals(p.in())) {
                url = url.replace("{" + p.name() + "}", Long.toString(id(ids, o.collectionOf(p.name()), o)));
            } else if ("query".equals(p.in()) && p.isId()) {
                request = request.queryParam(p.name(), id(ids, p.name().substring(0, p.name().length() - 2) + "s", o));
            }
        }
        request = request.queryParams(ValidRequests.query(o));
        if (o.body() != null) {
            request = request.body(ValidRequests.body(o, ids, agent.url()));
        }
        return request.request(o.method(), url);
    }

    HttpResponse<String> open(BrowserSession browser, Pages.Page page, Map<String, Long> ids) {
        String path = page.path();
        for (var id : ids.entrySet()) { // tenants/{id}, api-clients/{apiClientId}
            path = path.replaceAll(java.util.regex.Pattern.quote(id.getKey()) + "/\\{[A-Za-z]+\\}", id.getKey() + "/" + id.getValue());
        }
        if (path.contains("{")) {
            throw new AssertionError("this test does not know which of tenant A's objects the page " + page + " names");
        }
        if (page.method().equals("GET")) {
            return browser.open(path);
        }
        Map<String, String> form = new LinkedHashMap<>();
        for (String field : page.formFields()) {
            form.put(field, switch (field) {
                case "hostname" -> "probe";
                case "template" -> "busybox";
                case "memoryMiB", "diskMiB" -> "128";
                case "swapMiB" -> "0";
                case "cpus" -> "0.5";
                case "cpuWeight" -> "100";
                case "pids" -> "256";
                case "tenantId" -> Long.toString(ids.get("tenants"));
                case "email" -> "invited-by-page@probe.test";
                case "key", "sshKeys" -> ValidRequests.SSH_KEY;
                case "rootPassword" -> "a probe's root password";
                case "frequency" -> "daily";
                case "hour", "weekday" -> "3";
                case "retention" -> "2";
                case "fromBackup" -> Long.toString(ids.get("backups")); // an order from tenant A's backup
                default -> "probe";
            });
        }
        return browser.submit("/servers/new", path, form);
    }

    /** The object of that collection among the ids; a test that does not know the collection fails, naming it. */
    static long id(Map<String, Long> ids, String collection, Operation o) {
        Long id = ids.get(collection);
        if (id == null) {
            throw new AssertionError("this test does not know which of tenant A's objects the '" + collection + "' of " + o
                    + " names; add one to tenantAObjects()");
        }
        return id;
    }

    Map<String, Long> missingIds() {
        Map<String, Long> missing = new LinkedHashMap<>(a);
        missing.replaceAll((k, v) -> MISSING);
        return missing;
    }

    /** A's ids with an object of A's own for the request at that path to destroy (a server, an API client, a snapshot and a backup). */
    Map<String, Long> withObjectOfItsOwn(String path, Map<String, Long> ids) {
        Map<String, Long> fresh = new LinkedHashMap<>(ids);
        if (path.contains("/snapshots/") || path.contains("/backups/")) {
            fixtures.copies(ids.get("servers"), copiesMade, copiesMade + 1);
            fresh.put("snapshots", copiesMade++);
            fresh.put("backups", copiesMade++);
        } else if (path.contains("/api-clients/")) {
            fresh.put("api-clients", ((Number) Api.as(OWNER).body("{\"name\":\"to-revoke\"}").post("/api/v1/tenants/" + ids.get("tenants")
                    + "/api-clients").then().statusCode(201).extract().path("client.id")).longValue());
        } else {
            fresh.put("servers", ((Number) Api.as(OWNER).body("{\"hostname\":\"to-destroy\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                    .post("/api/v1/servers").then().statusCode(201).extract().path("id")).longValue());
        }
        return fresh;
    }

    /** A token of an API client of the tenant, made by its owner: a script of that tenant's. */
    static String apiClientToken(String owner, long tenant) {
        JsonPath made = Api.as(owner).body("{\"name\":\"script\"}").post("/api/v1/tenants/" + tenant + "/api-clients").then()
                .statusCode(201).extract().jsonPath();
        return TestKeycloak.get().clientToken(made.getString("client.clientId"), made.getString("secret"));
    }

    /** Two answers alike but for the ids they were asked about. */
    boolean sameBut(String withIdsOfA, String withMissingIds) {
        String masked = withIdsOfA;
        for (long id : a.values()) {
            // a page's own figures are not ids, though one may equal an id of A (a size of 50, a server 50)
            masked = masked.replaceAll("(?<!\"(size|page|total)\":)\\b" + id + "\\b", "#");
        }
        return masked.equals(withMissingIds.replaceAll("\\b" + MISSING + "\\b", "#"));
    }

    boolean noMarkOfA(String answer) {
        return MARKS.stream().noneMatch(answer::contains) && !answer.contains("\"serverId\":" + a.get("servers"));
    }

    BrowserSession signIn(String user) {
        BrowserSession browser = new BrowserSession(panel.toString());
        assertEquals(200, browser.signIn("/servers", user, user + "-password").statusCode(), user + " signs in");
        return browser;
    }

    void expect(boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
        }
    }

    /** Every table of the panel's schema, as the database's catalogue lists them: its row count and a digest of its rows. */
    String fingerprint() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = db.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery("select c.relname from pg_class c join pg_namespace n on n.oid = "
                    + "c.relnamespace where n.nspname = current_schema() and c.relkind in ('r', 'p') order by 1")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("tenant", "virtual_server", "operation", "audit_event", "usage_hour", "billing_period")),
                    "the catalogue lists the schema's tables: " + tables);
            for (String table : tables) {
                try (ResultSet r = c.createStatement().executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                        + "order by t::text)), '') from \"" + table + "\" t")) {
                    r.next();
                    all.append(table).append('=').append(r.getString(1)).append('\n');
                }
            }
        }
        return all.toString();
    }

    List<String> membersOfA() {
        String group = (String) TestKeycloak.get().group("/tenants/" + ValidRequests.TENANT).get("id");
        return TestKeycloak.get().admin().get("/groups/" + group + "/members").then().statusCode(200).extract().jsonPath()
                .getList("collect { it.username + ':' + it.enabled }");
    }
}
