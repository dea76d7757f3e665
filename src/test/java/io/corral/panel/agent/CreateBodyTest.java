package io.corral.panel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The create call's body as net-contract.md has it: a server without network sends no network field (an
 * agent from before networks refuses fields it does not know); one with a network sends its object, without
 * the IPv6 fields on a network without IPv6.
 */
class CreateBodyTest {
    static final AgentDtos.AgentLimits LIMITS = new AgentDtos.AgentLimits(Limits.DEFAULTS, Rates.NONE);
    final ObjectMapper json = new ObjectMapper();

    @Test
    void limitsAreOneObjectWithThePlansRates() throws Exception {
        JsonNode body = json.valueToTree(new AgentDtos.Create("7", "web", "busybox",
                new AgentDtos.AgentLimits(Limits.DEFAULTS, new Rates(100, 20, 50, 2000)), true, null, null, null, null, null));
        // as text: cpus is a BigDecimal, which the tree holds as a decimal node, not the integer node parsing gives
        assertEquals(json.readTree("""
                {"memoryMiB":512,"swapMiB":0,"cpus":1,"cpuWeight":100,"pids":512,"diskMiB":10240,
                 "networkInMbit":100,"networkOutMbit":20,"diskMiBps":50,"diskIops":2000}""").toString(), body.get("limits").toString());
    }

    @Test
    void aServerWithoutNetworkSendsNoNetworkField() throws Exception {
        JsonNode body = json.valueToTree(new AgentDtos.Create("7", "web", "busybox", LIMITS, true, null, null, null, null, null));
        assertFalse(body.has("network"), body.toString());
        assertFalse(body.has("firewall"), "nor firewall, while none was set: " + body);
        assertFalse(body.has("forwards"), "nor forwards, while it has none: " + body);
        assertFalse(body.has("credentials"), "nor credentials, when ordered without: " + body);
    }

    @Test
    void credentialsAreKeysAndAHashNeverAPassword() throws Exception {
        JsonNode body = json.valueToTree(new AgentDtos.Create("7", "web", "busybox", LIMITS, true, null, null, null,
                new CredentialsSpec(List.of("ssh-ed25519 AAAA a"), null), null));
        assertEquals(json.readTree("{\"sshKeys\":[\"ssh-ed25519 AAAA a\"]}"), body.get("credentials"), "no hash without a password");
        assertFalse(new CredentialsSpec(List.of(), "$6$salt$hash").toString().contains("$6$"), "not shown in a log line");
    }

    @Test
    void aServerOnANetworkSendsTheContractsObject() throws Exception {
        JsonNode both = json.valueToTree(new AgentDtos.Create("7", "web", "busybox", LIMITS, true, new NetworkSpec("pub1", "public",
                "acme", "192.0.2.10/24", "192.0.2.1", "2001:db8:1::10/64", "2001:db8:1::1", List.of("192.0.2.53"), "eth1"), null, null, null, null));
        assertEquals(json.readTree("""
                {"name":"pub1","kind":"public","tenant":"acme","ipv4":"192.0.2.10/24","gateway4":"192.0.2.1",
                 "ipv6":"2001:db8:1::10/64","gateway6":"2001:db8:1::1","resolvers":["192.0.2.53"],"uplink":"eth1"}"""), both.get("network"));
        JsonNode v4 = json.valueToTree(new AgentDtos.Create("8", "db", "busybox", LIMITS, false, new NetworkSpec("priv1", "private",
                "acme", "198.51.100.10/24", "198.51.100.1", null, null, List.of(), null), null,
                List.of(new ForwardSpec("tcp", 20022, 22)), null, null));
        assertEquals(json.readTree("""
                {"name":"priv1","kind":"private","tenant":"acme","ipv4":"198.51.100.10/24","gateway4":"198.51.100.1","resolvers":[]}"""),
                v4.get("network"));
        // a reinstall sends it again, unchanged
        NetworkSpec spec = new NetworkSpec("priv1", "private", "acme", "198.51.100.10/24", "198.51.100.1", null, null, List.of(), null);
        assertEquals(json.readTree("[{\"protocol\":\"tcp\",\"hostPort\":20022,\"serverPort\":22}]"), v4.get("forwards"),
                "a private server's forwards as the agent takes them");
        JsonNode reinstall = json.valueToTree(new AgentDtos.Reinstall(spec, null, null, null));
        assertEquals(v4.get("network"), reinstall.get("network"));
        assertFalse(reinstall.has("forwards"), reinstall.toString());
    }
}
