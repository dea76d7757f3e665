package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.sys.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Through the API of a real agent process, a server on a network with an uplink (the segment of
 * {@link UplinkTest}): an agent killed with -9 and started again keeps answering for the server's
 * addresses, once; after a host reboot (simulated: the server's processes killed, the bridge, the
 * agent's tables, the uplink's proxy entries and settings gone) the agent's start makes them again;
 * destroy leaves none.
 */
class UplinkRestartTest {
    static final String ID = "up-restart";
    static final List<String> ADDRESSES = List.of("198.51.100.218", "2001:db8:5300::3:218");

    @Test
    void anAgentRestartKeepsAnsweringAndAHostRebootGetsTheAnswersBack() throws Exception {
        Path state = Files.createTempDirectory("corral-uplink-restart-");
        String name = "tu" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36), bridge = "crb-" + name;
        String table = StateDir.of(state).instance();
        try (Outside segment = Outside.onSegment(List.of("198.51.100.194/27", "2001:db8:5300::2/64"), "198.51.100.193/27", "2001:db8:5300::1/64")) {
            int initPid;
            try (AgentProcess first = new AgentProcess(state).start()) {
                first.json("POST", "/v1/templates/busybox/build", null);
                HttpResponse<String> refused = first.call("POST", "/v1/servers", create(name, "no-such-if"));
                assertEquals(400, refused.statusCode(), refused.body());
                assertEquals("network.uplink", Json.MAPPER.readTree(refused.body()).get("field").asText(), refused.body());
                JsonNode created = first.json("POST", "/v1/servers", create(name, segment.hostEnd));
                assertEquals(segment.hostEnd, created.get("network").get("uplink").asText(), "the API answers the uplink it was given");
                initPid = created.get("initPid").asInt();
                awaitAnswers(segment);
                first.kill();
            }
            try (AgentProcess second = new AgentProcess(state).start()) {
                assertEquals(initPid, second.json("GET", "/v1/servers/" + ID, null).get("initPid").asInt(), "adopted, not started again");
                assertEquals(ADDRESSES, UplinkTest.proxies(segment.hostEnd), "answered once each");
                segment.run("ip", "neigh", "flush", "dev", "out0");
                awaitAnswers(segment);
                second.kill();
            }

            // the host reboots: with the server, the bridge and the tables, what the agent set on the uplink is gone
            NetworkRestartTest.reboot(initPid, bridge, table);
            StringBuilder forget = new StringBuilder();
            ADDRESSES.forEach(address -> forget.append("neigh del proxy ").append(address).append(" dev ").append(segment.hostEnd).append('\n'));
            Command.runWithInput(forget.toString(), "ip", "-batch", "-");
            for (String setting : List.of("ipv4/conf/%s/forwarding", "ipv6/conf/%s/forwarding", "ipv6/conf/%s/force_forwarding", "ipv6/conf/%s/proxy_ndp")) {
                Path file = Path.of("/proc/sys/net", String.format(setting, segment.hostEnd));
                if (Files.exists(file)) {
                    Files.writeString(file, "0");
                }
            }
            segment.run("ip", "neigh", "flush", "dev", "out0");
            try (AgentProcess third = new AgentProcess(state).start()) {
                assertEquals("running", third.json("GET", "/v1/servers/" + ID, null).get("state").asText(), "started again");
                assertEquals(ADDRESSES, UplinkTest.proxies(segment.hostEnd), "answered again");
                awaitAnswers(segment);
                assertEquals(204, third.call("DELETE", "/v1/servers/" + ID, null).statusCode());
                assertEquals(List.of(), UplinkTest.proxies(segment.hostEnd), "nothing answered after destroy");
            }
        } finally {
            NetworkRestartTest.cleanUp(state, bridge, table);
        }
    }

    private static String create(String name, String uplink) {
        return "{\"id\":\"" + ID + "\",\"hostname\":\"" + ID + "\",\"template\":\"busybox\",\"start\":true,\"network\":{\"name\":\""
                + name + "\",\"kind\":\"public\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.218/29\",\"gateway4\":\"198.51.100.217\","
                + "\"ipv6\":\"2001:db8:5300::3:218/112\",\"gateway6\":\"2001:db8:5300::3:1\",\"uplink\":\"" + uplink + "\"}}";
    }

    /** The segment reaches the server on both families, through the host's answers. */
    private static void awaitAnswers(Outside segment) {
        for (String address : ADDRESSES) {
            Await.until(Duration.ofSeconds(10), "the segment reaches " + address, () -> segment.succeeds("busybox",
                    address.contains(":") ? "ping6" : "ping", "-c", "1", "-W", "2", address));
        }
    }
}
