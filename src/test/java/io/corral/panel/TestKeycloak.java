package io.corral.panel;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real Keycloak for the test run: started once per JVM by scripts/keycloak (the same start as
 * ./run.sh) with the realm file of the repository, then given the test users and a test client.
 * Users: ada (admin), cleo and otto (tenant owners), gus; passwords "<name>-password". A test puts
 * them into tenants with {@link #joinTenant}. The client corral-tests exists only here: it may trade a
 * password for a token.
 */
public final class TestKeycloak {
    static final String PANEL_SECRET = "test-panel-client-secret-0123456789", BILLING_SECRET = "test-billing-client-secret",
            AUTOMATION_SECRET = "test-automation-client-secret", REALM = "corral";
    /** Quarkus's test port (8081 unless -Dquarkus.http.test-port says otherwise): Keycloak sends browsers back to it. */
    static final int PANEL_TEST_PORT = Integer.getInteger("quarkus.http.test-port", 8081);
    static final String MASTER_ADMIN = "kc-admin", MASTER_PASSWORD = "kc-admin-password";
    private static final List<String> TEST_USERS = List.of("ada", "cleo", "gus", "otto");
    /**
     * Where the running Keycloak listens, kept in a system property: Quarkus loads the test classes again for each
     * test profile, so a static field alone would start one Keycloak per profile (about a minute each).
     */
    private static final String URL_PROPERTY = "corral.test.keycloak.url";
    private static TestKeycloak running;

    private final String url;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    private TestKeycloak(String url) {
        this.url = url;
    }

    public static synchronized TestKeycloak get() {
        if (running == null) {
            String url = System.getProperty(URL_PROPERTY);
            running = url != null ? new TestKeycloak(url) : start();
            System.setProperty(URL_PROPERTY, running.url);
        }
        return running;
    }

    /** The base address, http://localhost:<port>; tokens name it as their issuer, so it is spelled one way. */
    public String url() {
        return url;
    }

    public String realmUrl() {
        return url + "/realms/" + REALM;
    }

    /** What the panel needs to trust this Keycloak, as configuration properties. */
    public Map<String, String> panelConfig() {
        return Map.of("corral.keycloak.url", url, "CORRAL_PANEL_CLIENT_SECRET", PANEL_SECRET);
    }

    /** A fresh or cached access token of a test user, from the password grant of corral-tests. */
    public String token(String user) {
        Token t = tokens.compute(user, (name, cached) ->
                cached != null && cached.expires().isAfter(Instant.now().plusSeconds(30)) ? cached : passwordGrant(name));
        return t.value();
    }

    /** An access token of a machine client (client credentials), e.g. corral-billing. */
    public String clientToken(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials").auth().preemptive().basic(clientId, secret)
                .post(realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    /** An access token that expires two seconds after it is issued (client corral-tests-brief). */
    public String briefToken(String user) {
        return passwordGrant("corral-tests-brief", user).value();
    }

    /** Keycloak's admin REST API of the Corral realm, as its master admin. */
    public RequestSpecification admin() {
        String token = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", MASTER_ADMIN).formParam("password", MASTER_PASSWORD)
                .post(url + "/realms/master/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        return given().baseUri(url + "/admin/realms/" + REALM).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Puts a test user into a tenant's group (made if missing), as the panel's provisioning would. */
    public void joinTenant(String user, String slug) {
        if (group("/tenants/" + slug) == null) {
            admin().body(Map.of("name", slug)).post("/groups/" + group("/tenants").get("id") + "/children").then().statusCode(201);
        }
        admin().put("/users/" + user(user).get("id") + "/groups/" + group("/tenants/" + slug).get("id")).then().statusCode(204);
        tokens.remove(user);
    }

    /** Back to the test users alone, enabled: no tenant groups, no users or API clients the panel made. */
    public void reset() {
        List<Map<String, Object>> clients = admin().queryParam("clientId", "corral-api-").queryParam("search", true)
                .queryParam("max", 1000).get("/clients").then().statusCode(200).extract().path("$");
        clients.forEach(c -> admin().delete("/clients/" + c.get("id")).then().statusCode(204));
        List<Map<String, Object>> groups = admin().queryParam("max", 1000).get("/groups/" + group("/tenants").get("id") + "/children")
                .then().statusCode(200).extract().path("$");
        groups.forEach(g -> admin().delete("/groups/" + g.get("id")).then().statusCode(204));
        List<Map<String, Object>> users = admin().queryParam("max", 1000).get("/users").then().statusCode(200).extract().path("$");
        users.stream().filter(u -> !TEST_USERS.contains(u.get("username")) && !((String) u.get("username")).startsWith("service-account-"))
                .forEach(u -> admin().delete("/users/" + u.get("id")).then().statusCode(204));
        // a test that suspended a tenant of test users leaves them disabled
        users.stream().filter(u -> TEST_USERS.contains(u.get("username")) && Boolean.FALSE.equals(u.get("enabled")))
                .forEach(u -> admin().body(Map.of("enabled", true)).put("/users/" + u.get("id")).then().statusCode(204));
        tokens.clear();
    }

    /** The user with exactly this name, as Keycloak's admin API shows it, or null. */
    public Map<String, Object> user(String username) {
        List<Map<String, Object>> found = admin().queryParam("username", username).queryParam("exact", true).get("/users")
                .then().statusCode(200).extract().path("$");
        return found.isEmpty() ? null : found.get(0);
    }

    /** The group with this path, or null. */
    public Map<String, Object> group(String path) {
        var answer = admin().get("/group-by-path" + path);
        return answer.statusCode() == 404 ? null : answer.then().statusCode(200).extract().path("$");
    }

    private Token passwordGrant(String user) {
        return passwordGrant("corral-tests", user);
    }

    private Token passwordGrant(String client, String user) {
        JsonPath answer = given().formParam("grant_type", "password").formParam("client_id", client)
                .formParam("username", user).formParam("password", user + "-password")
                .post(realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().jsonPath();
        return new Token(answer.getString("access_token"), Instant.now().plusSeconds(answer.getLong("expires_in")));
    }

    private static TestKeycloak start() {
        try {
            Path repo = Path.of("").toAbsolutePath();
            Path home = repo.resolve("target/keycloak");
            deleteTree(home.resolve("data"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("scripts/keycloak").toString(), "run", home.toString(),
                    Integer.toString(port));
            Map<String, String> env = pb.environment();
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", MASTER_ADMIN);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", MASTER_PASSWORD);
            env.put("CORRAL_PANEL_URL", "http://localhost:" + PANEL_TEST_PORT);
            env.put("CORRAL_PANEL_CLIENT_SECRET", PANEL_SECRET);
            env.put("CORRAL_BILLING_CLIENT_SECRET", BILLING_SECRET);
            env.put("CORRAL_AUTOMATION_CLIENT_SECRET", AUTOMATION_SECRET);
            Files.createDirectories(repo.resolve("target"));
            Path log = repo.resolve("target/keycloak.log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }));
            TestKeycloak keycloak = new TestKeycloak("http://localhost:" + port);
            Await.until("Keycloak serving the Corral realm (log: " + log + ")", Duration.ofMinutes(4), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak stopped; its log, " + log + ", says why");
                }
                try {
                    return given().get(keycloak.realmUrl() + "/.well-known/openid-configuration").statusCode() == 200;
                } catch (Exception e) { // not listening yet
                    return false;
                }
            });
            keycloak.addTestClientsAndUsers();
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addTestClientsAndUsers() {
        List<Map<String, Object>> panel = admin().queryParam("clientId", "corral-panel").get("/clients").then().statusCode(200)
                .extract().path("$");
        // The panel's own mappers (audience, tenant claim), so test tokens look like the panel's.
        Object mappers = ((List<Map<String, Object>>) panel.get(0).get("protocolMappers")).stream()
                .map(m -> Map.of("name", m.get("name"), "protocol", m.get("protocol"), "protocolMapper", m.get("protocolMapper"),
                        "config", m.get("config"))).toList();
        for (String client : List.of("corral-tests", "corral-tests-brief")) {
            admin().body(Map.of("clientId", client, "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                    "protocolMappers", mappers, "attributes", client.endsWith("brief") ? Map.of("access.token.lifespan", "2") : Map.of()))
                    .post("/clients").then().statusCode(201);
        }
        addUser("ada", List.of("admin"));
        addUser("cleo", List.of("tenant-owner"));
        addUser("gus", List.of());
        addUser("otto", List.of("tenant-owner"));
    }

    private void addUser(String name, List<String> roles) {
        admin().body(Map.of("username", name, "email", name + "@corral.test", "emailVerified", true, "enabled", true,
                "firstName", name, "lastName", "Test",
                "credentials", List.of(Map.of("type", "password", "value", name + "-password", "temporary", false))))
                .post("/users").then().statusCode(201);
        String id = (String) user(name).get("id");
        List<Object> roleReps = roles.stream().map(r -> (Object) admin().get("/roles/" + r).then().statusCode(200).extract().path("$")).toList();
        if (!roleReps.isEmpty()) {
            admin().body(roleReps).post("/users/" + id + "/role-mappings/realm").then().statusCode(204);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
