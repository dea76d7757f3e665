package io.corral.panel;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The panel's OpenAPI document (/q/openapi) as the tests that are driven by it read it: every
 * operation under /api/ with its parameters, the roles it admits and the properties of its JSON body.
 */
final class ApiDocument {
    /** A path, query or header parameter, with its schema (type, minimum ...). */
    record Parameter(String name, String in, Map<String, Object> schema) {
        boolean isId() {
            return "path".equals(in) || name.endsWith("Id") && name.length() > 2;
        }
    }

    /** An operation; body is the properties of its JSON body by name, or null when it takes none. */
    record Operation(String method, String path, List<Parameter> parameters, List<String> roles,
                     Map<String, Map<String, Object>> body) {
        boolean admits(String role) {
            return roles.contains(role);
        }

        /** The collection a path parameter is an id of: the segment before it (/servers/{id} → servers). */
        String collectionOf(String name) {
            List<String> segments = List.of(path.split("/"));
            return segments.get(segments.indexOf("{" + name + "}") - 1);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<String> METHODS = List.of("GET", "PUT", "PATCH", "POST", "DELETE");
    private final JsonPath document;

    private ApiDocument(JsonPath document) {
        this.document = document;
    }

    static ApiDocument read() {
        return new ApiDocument(given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath());
    }

    /** The API's operations, reads first and deletes last (by method, then path), so the order is the same every run. */
    @SuppressWarnings("unchecked")
    List<Operation> operations() {
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        List<Operation> all = new ArrayList<>();
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (var operation : path.getValue().entrySet()) {
                Map<String, Object> o = operation.getValue();
                List<Parameter> parameters = ((List<Map<String, Object>>) o.getOrDefault("parameters", List.of())).stream()
                        .map(p -> new Parameter((String) p.get("name"), (String) p.get("in"),
                                (Map<String, Object>) p.getOrDefault("schema", Map.of()))).toList();
                var security = (List<Map<String, List<String>>>) o.getOrDefault("security", List.of());
                List<String> roles = security.stream().flatMap(s -> s.values().stream()).flatMap(List::stream).toList();
                all.add(new Operation(operation.getKey().toUpperCase(), path.getKey(), parameters, roles, body(o)));
            }
        }
        all.sort(Comparator.comparing((Operation o) -> METHODS.indexOf(o.method())).thenComparing(Operation::path));
        return all;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> body(Map<String, Object> operation) {
        var body = (Map<String, Object>) operation.get("requestBody");
        if (body == null) {
            return null;
        }
        var json = (Map<String, Object>) ((Map<String, Object>) body.get("content")).get("application/json");
        if (json == null) {
            return null;
        }
        Map<String, Object> schema = (Map<String, Object>) json.get("schema");
        if (schema.containsKey("$ref")) {
            schema = document.getMap("components.schemas." + ((String) schema.get("$ref")).substring("#/components/schemas/".length()));
        }
        return (Map<String, Map<String, Object>>) schema.getOrDefault("properties", Map.of());
    }
}
