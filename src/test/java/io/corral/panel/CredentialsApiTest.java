package io.corral.panel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

/**
 * Root's credentials through the API, with the real agent: an order's keys and password are checked (each refusal
 * names the field, and nothing is ordered), only the password's SHA-512 crypt hash is kept (in no operation, audit
 * event or other row is the password), both land in the server, keys change and go with the server's agent, a
 * reinstall writes them again, and another tenant's customer finds none of it.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CredentialsApiTest extends WithRealAgent {
    static final String PASSWORD = "correct horse battery staple";
    final ObjectMapper json = new ObjectMapper();
    @Inject
    DataSource db;

    @Test
    void keysAndAPasswordAreCheckedHashedWrittenChangedAndHiddenFromOtherTenants() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("cred", 2), "cleo");
        admin.tenant("Globex", "globex", admin.plan("cred-other", 1), "gus");
        admin.host("local", agent);
        String key1 = ValidRequests.SSH_KEY, key2 = TestKeys.rsa(2048, "deploy@ci");

        for (Object[] bad : new Object[][] {
                {"sshKeys[1]", List.of(key1, "ssh-dss AAAAB3NzaC1kc3MAAAA= old"), null, "type must be one of"},
                {"sshKeys[0]", List.of(TestKeys.rsa(1024, "weak")), null, "2048 to 16384 bits, this one has 1024"},
                {"sshKeys[0]", List.of("ssh-rsa " + TestKeys.blob("ssh-ed25519", new byte[32])), null, "holds a ssh-ed25519 key, not ssh-rsa"},
                {"sshKeys[0]", List.of("command=\"rm -rf /\" " + key1), null, "one line"},
                {"sshKeys[1]", List.of(key1, key1), null, "the same key"},
                {"sshKeys", java.util.Collections.nCopies(33, key1), null, "at most 32"},
                {"rootPassword", List.of(), "short", "12 to 128 characters"},
                {"rootPassword", List.of(), "twelve chars\nmore", "control characters"}}) {
            Map<String, Object> order = new java.util.HashMap<>(Map.of("hostname", "web", "template", "busybox", "memoryMiB", 64,
                    "diskMiB", 128, "sshKeys", bad[1]));
            if (bad[2] != null) {
                order.put("rootPassword", bad[2]);
            }
            Api.as("cleo").body(order).post("/api/v1/servers").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[0])).body("detail", containsString((String) bad[3]))
                    .body("detail", not(containsString(bad[2] == null ? "\u0000" : ((String) bad[2]).substring(0, 5))));
        }
        // checked before a host is chosen (and the placements' turn taken): named even where no host could take the order
        Api.as("cleo").body(Map.of("hostname", "web", "template", "no-such-template", "memoryMiB", 64, "diskMiB", 128, "rootPassword", "short"))
                .post("/api/v1/servers").then().statusCode(400).body("field", equalTo("rootPassword"));
        assertEquals(0, Db.number(db, "select count(*) from virtual_server"), "nothing ordered");

        int id = Api.as("cleo").body(Map.of("hostname", "keyed", "template", "busybox", "memoryMiB", 64, "diskMiB", 128,
                "sshKeys", List.of("  " + key1.replace(" ", "   ") + "  "), "rootPassword", PASSWORD))
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(id, "running");

        String hash = text("select hash from server_root_password where server_id = " + id);
        assertTrue(hash.startsWith("$6$"), hash);
        assertEquals(hash, Sha2Crypt.sha512Crypt(PASSWORD.getBytes(StandardCharsets.UTF_8), hash), "the password's SHA-512 crypt hash");
        assertEquals(0, Db.number(db, "select count(*) from (select row_to_json(r)::text as t from operation r union all "
                + "select row_to_json(r)::text from audit_event r union all select row_to_json(r)::text from virtual_server r union all "
                + "select row_to_json(r)::text from server_ssh_key r union all select row_to_json(r)::text from server_root_password r) rows "
                + "where t like '%battery%'"), "the password itself is in no row");
        assertEquals(key1 + "\n", inServer(id, "cat /root/.ssh/authorized_keys"), "written as one clean line before it booted");
        assertEquals("root:" + hash + "\n", inServer(id, "cut -d: -f1,2 /etc/shadow"));

        String keys = "/api/v1/servers/" + id + "/ssh-keys";
        Api.as("cleo").get(keys).then().statusCode(200).body("sshKeys", equalTo(List.of(key1)))
                .body("details[0].fingerprint", equalTo("SHA256:USa7JRfmO9zPH+xp/FBKBYswZxZJvgtdK1NqWFIieQ0"))
                .body("details[0].comment", equalTo("probe@test"));

        Api.as("cleo").body(Map.of("sshKeys", List.of(key1, "ssh-ed25519 AAAA"))).put(keys).then().statusCode(400)
                .body("field", equalTo("sshKeys[1]"));
        int op = Api.as("cleo").body(Map.of("sshKeys", List.of(key1, key2))).put(keys).then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        assertEquals(key1 + "\n" + key2 + "\n", inServer(id, "cat /root/.ssh/authorized_keys"), "added in the running server");

        Api.as("gus").get(keys).then().statusCode(404);
        Api.as("gus").body(Map.of("sshKeys", List.of())).put(keys).then().statusCode(404);
        Api.as("gus").body(Map.of("rootPassword", "another tenant's try")).post("/api/v1/servers/" + id + "/reinstall").then().statusCode(404);
        assertEquals(List.of(key1, key2), Api.as("cleo").get(keys).then().extract().path("sshKeys"), "another tenant changes nothing");
        assertEquals(hash, text("select hash from server_root_password where server_id = " + id));

        op = Api.as("cleo").body(Map.of("sshKeys", List.of(key2))).put(keys).then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        assertEquals(key2 + "\n", inServer(id, "cat /root/.ssh/authorized_keys"), "a removed key is gone");

        // a reinstall writes them into the fresh root: the keys it has, a new password given with it
        op = Api.as("cleo").body(Map.of("rootPassword", "a new password for root")).post("/api/v1/servers/" + id + "/reinstall")
                .then().statusCode(202).extract().path("id");
        Await.operation(op, "succeeded");
        String newHash = text("select hash from server_root_password where server_id = " + id);
        assertEquals(newHash, Sha2Crypt.sha512Crypt("a new password for root".getBytes(StandardCharsets.UTF_8), newHash));
        assertEquals(key2 + "\n", inServer(id, "cat /root/.ssh/authorized_keys"));
        assertEquals("root:" + newHash + "\n", inServer(id, "cut -d: -f1,2 /etc/shadow"));
        assertEquals(0, Db.number(db, "select count(*) from audit_event where details like '%new password%'"));

        // a script that posts a reinstall as curl -X POST does, without a body or its type, as before reinstalls took one:
        // the server keeps its own (rest-assured would name a form type)
        HttpResponse<String> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/servers/" + id + "/reinstall"))
                .header("Authorization", "Bearer " + TestKeycloak.get().token("cleo")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, bare.statusCode(), bare.body());
        op = JsonPath.from(bare.body()).getInt("id");
        Await.operation(op, "succeeded");
        assertEquals(key2 + "\n", inServer(id, "cat /root/.ssh/authorized_keys"));
    }

    /** A shell command's output in the server, run by the customer through the API. */
    static String inServer(int id, String script) {
        return Api.as("cleo").body(Map.of("command", List.of("sh", "-c", script))).post("/api/v1/servers/" + id + "/exec")
                .then().statusCode(200).body("exitCode", equalTo(0)).extract().path("stdout");
    }

    String text(String sql) throws Exception {
        try (var c = db.getConnection(); var r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
