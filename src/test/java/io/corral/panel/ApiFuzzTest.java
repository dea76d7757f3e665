package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.ApiDocument.Operation;
import io.corral.panel.ApiDocument.Parameter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the API document, each of its path, query, header and body parameters in turn
 * given hostile values (huge, negative, overflowing, empty, of the wrong type, non-ASCII, NUL,
 * overlong UTF-8) while the others stay valid, as an admin and as a customer (each with a running
 * server on a real agent, so exec and isolation go all the way): no answer may be a 5xx, and a refusal
 * of bad input is problem+json naming the parameter. The values are fixed (the random ones from a
 * fixed seed), so every run sends the same requests.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ApiFuzzTest extends WithRealAgent {
    /** A hostile value: as the text of a path, query or header parameter, and as a JSON value in a body. */
    record Hostile(String name, byte[] text, byte[] json) {
        static Hostile both(String name, String text, String json) {
            return new Hostile(name, utf8(text), utf8(json));
        }

        static Hostile string(String name, String s) {
            return new Hostile(name, utf8(s), utf8(quote(s)));
        }

        static Hostile bytes(String name, byte... raw) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            json.write('"');
            json.writeBytes(raw);
            json.write('"');
            return new Hostile(name, raw, json.toByteArray());
        }
    }

    static final List<Hostile> VALUES = hostileValues();
    /** The callers, by the role the document names. */
    static final Map<String, String> CALLERS = Map.of("customer", "cleo", "admin", "ada");

    @TestHTTPResource("/")
    URL panel;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> failures = new ArrayList<>();
    int requests;

    static List<Hostile> hostileValues() {
        List<Hostile> v = new ArrayList<>(List.of(
                Hostile.both("2^31", "2147483648", "2147483648"),
                Hostile.both("2^31-1", "2147483647", "2147483647"),
                Hostile.both("2^63", "9223372036854775808", "9223372036854775808"),
                Hostile.both("2^63-1", "9223372036854775807", "9223372036854775807"),
                Hostile.both("-2^63-1", "-9223372036854775809", "-9223372036854775809"),
                Hostile.both("-1", "-1", "-1"),
                Hostile.both("40 digits", "9".repeat(40), "9".repeat(40)),
                Hostile.both("1e400", "1e400", "1e400"),
                Hostile.both("-1e400", "-1e400", "-1e400"),
                Hostile.both("fraction", "1.5", "1.5"),
                Hostile.both("NaN", "NaN", "NaN"),
                Hostile.string("\"NaN\"", "NaN"),
                Hostile.string("Infinity", "Infinity"),
                Hostile.string("empty", ""),
                Hostile.both("null", "null", "null"),
                Hostile.string("word", "abc"),
                Hostile.both("boolean", "true", "true"),
                Hostile.both("array", "[]", "[]"),
                Hostile.both("object", "{}", "{\"a\":1}"),
                Hostile.string("100,000 characters", "x".repeat(100_000)),
                Hostile.string("year 999,999,999", "+999999999-12-31"),
                Hostile.string("instant in year 999,999,999", "+999999999-12-31T23:59:59Z"),
                Hostile.string("year -999,999,999", "-999999999-01-01"),
                Hostile.string("Japanese", "ウェブ.example.jp"),
                Hostile.string("emoji", "😀🏠"),
                Hostile.string("right-to-left", "\u202Egnp.exe\u202C שלום"),
                Hostile.string("NUL", "a\u0000b"),
                Hostile.string("control characters", "\u001b[31m\r\n\t"),
                Hostile.bytes("overlong UTF-8", (byte) 0xC0, (byte) 0xAF),
                Hostile.bytes("UTF-8 surrogate", (byte) 0xED, (byte) 0xA0, (byte) 0x80),
                new Hostile("lone surrogate escape", utf8("\\ud800"), utf8("\"\\ud800\""))));
        Random random = new Random(2026_12);
        for (int i = 0; i < 3; i++) {
            StringBuilder s = new StringBuilder();
            random.ints(12, 0, Character.MAX_CODE_POINT + 1).forEach(s::appendCodePoint);
            v.add(Hostile.string("random code points " + i, s.toString()));
            byte[] raw = new byte[12];
            random.nextBytes(raw);
            v.add(Hostile.bytes("random bytes " + i, raw));
        }
        return v;
    }

    @Test
    void noHostileValueMakesThePanelFail() throws Exception {
        Map<String, Long> shared = sharedObjects();
        // a running server of each caller's, so that exec and isolation reach the agent
        int customerServer = Await.runningServer(CALLERS.get("customer"), "customer-base");
        int adminServer = Api.as(CALLERS.get("admin")).body("{\"hostname\":\"admin-base\",\"template\":\"busybox\",\"memoryMiB\":64,"
                + "\"diskMiB\":128}").post("/api/v1/servers?tenantId=" + shared.get("tenants")).then().statusCode(201).extract().path("id");
        Await.observed(adminServer, "running");
        List<Operation> operations = ApiDocument.read().operations();
        Instant start = Instant.now();
        fuzz(operations, "customer", withCopies(withServer(shared, customerServer)));
        fuzz(operations, "admin", withCopies(withServer(shared, adminServer)));
        System.out.println("API fuzz: " + requests + " requests to " + operations.size() + " operations in "
                + Duration.between(start, Instant.now()).toSeconds() + " s");
        assertTrue(failures.isEmpty(), failures.size() + " requests failed:\n" + String.join("\n", failures));
    }

    /** A plan, tenant acme (customer cleo), the real agent's host and a billing period, by collection. */
    Map<String, Long> sharedObjects() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        int plan = admin.plan("fuzz", 2);
        admin.tenant("Acme", ValidRequests.TENANT, plan, CALLERS.get("customer"));
        Map<String, Long> ids = new LinkedHashMap<>();
        ids.put("tenants", ((Number) Api.as(CALLERS.get("admin")).get("/api/v1/tenants").then().extract().path("items[0].id")).longValue());
        ids.put("plans", (long) plan);
        ids.put("hosts", (long) admin.host("local", agent));
        ids.put("networks", ((Number) Api.as(CALLERS.get("admin")).body(ValidRequests.NETWORK).post("/api/v1/networks").then().statusCode(201)
                .extract().path("id")).longValue());
        ids.put("periods", ((Number) Api.as(CALLERS.get("admin")).body("{\"startsOn\":\"2026-11-01\",\"endsOn\":\"2026-12-01\"}")
                .post("/api/v1/billing/periods").then().statusCode(201).extract().path("id")).longValue());
        ids.put("api-clients", ((Number) Api.as(CALLERS.get("admin")).body("{\"name\":\"fuzzed\"}").post("/api/v1/tenants/"
                + ids.get("tenants") + "/api-clients").then().statusCode(201).extract().path("client.id")).longValue());
        ids.put("runs", 1L); // a run of moves, none of which exists: a lone host has nowhere to move its servers
        return ids;
    }

    /** The ids a caller's requests name: the shared objects, its own server and that server's first operation. */
    static Map<String, Long> withServer(Map<String, Long> shared, int server) {
        Map<String, Long> ids = new LinkedHashMap<>(shared);
        ids.put("servers", (long) server);
        ids.put("operations", ((Number) Api.as(CALLERS.get("admin")).get("/api/v1/operations?serverId=" + server).then().extract()
                .path("items[-1].id")).longValue());
        return ids;
    }

    /** The ids with a snapshot and a backup of the caller's server, as if taken. */
    Map<String, Long> withCopies(Map<String, Long> ids) {
        long server = ids.get("servers");
        fixtures.copies(server, server * 1000 + 1, server * 1000 + 2);
        ids.put("snapshots", server * 1000 + 1);
        ids.put("backups", server * 1000 + 2);
        return ids;
    }

    /**
     * Each parameter of each operation in turn, with every hostile value, as a caller in the role; an
     * operation the role may not call is asked once (its refusal comes before any parameter is read).
     */
    void fuzz(List<Operation> operations, String role, Map<String, Long> ids) throws Exception {
        String caller = CALLERS.get(role);
        for (Operation o : operations) {
            Map<String, byte[]> path = new LinkedHashMap<>(), query = new LinkedHashMap<>();
            for (Parameter p : o.parameters()) {
                if ("path".equals(p.in())) {
                    Long id = ids.get(o.collectionOf(p.name()));
                    if (id == null) {
                        throw new AssertionError("this test does not know which object {" + p.name() + "} of " + o + " names");
                    }
                    path.put(p.name(), utf8(id.toString()));
                }
            }
            ValidRequests.query(o).forEach((k, v) -> query.put(k, utf8(v)));
            Map<String, byte[]> body = o.body() == null ? null : properties(ValidRequests.body(o, ids, agent.url()));
            if (!o.admits(role)) {
                String request = caller + ": " + o;
                HttpResponse<String> answer = exchange(request, caller, o, path, query, Map.of(), body == null ? null : json(body));
                if (answer != null && answer.statusCode() != 403) {
                    failures.add(request + " answered " + answer.statusCode() + " (expected 403: not for " + role + "s)");
                }
                continue;
            }
            for (Parameter p : o.parameters()) {
                for (Hostile h : VALUES) {
                    Map<String, byte[]> pathNow = new LinkedHashMap<>(path), queryNow = new LinkedHashMap<>(query);
                    Map<String, byte[]> headers = new LinkedHashMap<>();
                    switch (p.in()) {
                        case "path" -> pathNow.put(p.name(), h.text());
                        case "query" -> queryNow.put(p.name(), h.text());
                        // with a valid id, a key the panel takes carries out the action; the same key (per caller) on a
                        // later action answers with the first operation, so only the first operation that takes keys
                        // (PUT limits, before the POSTs) acts once per value
                        case "header" -> headers.put(p.name(), h.text());
                        default -> throw new AssertionError("parameter in " + p.in());
                    }
                    send(caller, o, pathNow, queryNow, headers, body == null ? null : json(body), p, h.name());
                }
            }
            if (body != null) {
                for (var property : o.body().entrySet()) {
                    boolean array = "array".equals(property.getValue().get("type"));
                    for (Hostile h : VALUES) {
                        Map<String, byte[]> b = new LinkedHashMap<>(body);
                        b.put(property.getKey(), h.json());
                        Parameter field = new Parameter(property.getKey(), "body", property.getValue());
                        send(caller, o, path, query, Map.of(), json(b), field, h.name());
                        if (array) {
                            b.put(property.getKey(), concat(utf8("["), h.json(), utf8("]")));
                            send(caller, o, path, query, Map.of(), json(b), field, "[" + h.name() + "]");
                        }
                    }
                }
                Parameter whole = new Parameter("body", "body", Map.of());
                for (Hostile h : VALUES) {
                    send(caller, o, path, query, Map.of(), h.json(), whole, h.name());
                }
                send(caller, o, path, query, Map.of(), utf8("[".repeat(100_000)), whole, "100,000 nested arrays");
                send(caller, o, path, query, Map.of(), new byte[0], whole, "nothing");
            }
        }
    }

    /**
     * Sends the request and checks the answer: never a 5xx; a 400 is problem+json naming the hostile
     * parameter (or a field within it); a query parameter's value is never answered 404 unless it is an
     * id (the JAX-RS answer to a value that does not convert, which says nothing of the rule).
     */
    void send(String caller, Operation o, Map<String, byte[]> path, Map<String, byte[]> query, Map<String, byte[]> headers,
              byte[] body, Parameter hostile, String value) throws InterruptedException {
        String what = (hostile.in().equals("body") && !hostile.name().equals("body") ? "body " : "") + hostile.name() + " = " + value;
        String request = caller + ": " + o.method() + " " + o.path() + " with " + what;
        HttpResponse<String> answer = exchange(request, caller, o, path, query, headers, body);
        if (answer == null) {
            return;
        }
        int status = answer.statusCode();
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            failures.add(request + " answered " + status + ": " + abbreviate(answer.body()));
        } else if (status == 400 && (!type.startsWith("application/problem+json") || !names(answer.body(), hostile.name(), body))) {
            failures.add(request + " answered 400 without naming " + hostile.name() + ": " + type + " " + abbreviate(answer.body()));
        } else if (status == 404 && hostile.in().equals("query") && !hostile.isId()) {
            failures.add(request + " answered 404: a bad query value is a 400 that names it");
        }
    }

    /** The answer to the request, or null when no HTTP client could send it (or none came: a failure then). */
    HttpResponse<String> exchange(String request, String caller, Operation o, Map<String, byte[]> path, Map<String, byte[]> query,
                                  Map<String, byte[]> headers, byte[] body) throws InterruptedException {
        String url = o.path();
        for (var p : path.entrySet()) {
            url = url.replace("{" + p.getKey() + "}", percent(p.getValue()));
        }
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=').append(percent(v)));
        HttpRequest.Builder r;
        try {
            r = HttpRequest.newBuilder(URI.create(panel.toString().replaceAll("/$", "") + url + q))
                    .method(o.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Authorization", "Bearer " + TestKeycloak.get().token(caller)).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30));
            if (body != null) {
                r.header("Content-Type", "application/json");
            }
            for (var h : headers.entrySet()) {
                r.header(h.getKey(), new String(h.getValue(), StandardCharsets.ISO_8859_1));
            }
        } catch (IllegalArgumentException e) {
            return null; // no HTTP client can send it (a NUL or line break in a header): the panel never sees it
        }
        requests++;
        try {
            return sendOnce(r.build());
        } catch (IOException e) {
            failures.add(request + " got no answer: " + e);
            return null;
        }
    }

    /** The answer; a connection the panel closed after answering the request before (as it does after a 414) is tried again once. */
    HttpResponse<String> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException closed) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Whether a problem names the field, or a field within it (command[0]); "body" only where the body is
     * no JSON at all, so no field can be named; a hostile whole body may be refused for any field it lacks.
     */
    static boolean names(String problem, String field, byte[] body) {
        try {
            String named = new ObjectMapper().readTree(problem).path("field").asText("");
            return named.equals(field) || named.startsWith(field + "[") || named.startsWith(field + ".")
                    || named.equals("body") && !isJson(body) || field.equals("body") && !named.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The body's top-level properties as raw JSON, so one of them can be replaced by bytes no JSON writer would make. */
    static Map<String, byte[]> properties(String json) throws IOException {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        mapper.readTree(json).properties().forEach(e -> raw.put(e.getKey(), utf8(e.getValue().toString())));
        return raw;
    }

    static boolean isJson(byte[] body) {
        if (body == null) {
            return false;
        }
        try {
            new ObjectMapper().readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] json(Map<String, byte[]> properties) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        boolean first = true;
        for (var p : properties.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(utf8(quote(p.getKey()) + ":"));
            out.writeBytes(p.getValue());
        }
        out.write('}');
        return out.toByteArray();
    }

    static String percent(byte[] raw) {
        StringBuilder s = new StringBuilder();
        for (byte b : raw) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                s.append((char) c);
            } else {
                s.append('%').append(String.format("%02X", c));
            }
        }
        return s.toString();
    }

    static String quote(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
