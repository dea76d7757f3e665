package io.corral.agent.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import io.corral.agent.TestHosts;
import java.io.IOException;
import java.net.http.HttpResponse;
import io.corral.agent.filesystem.ServerPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Moving a server between two agents, each a host in a network namespace of its own, as the panel drives it. */
class MoveTest {
    private static final String TOKEN = "move-token-0123456789-abcdefghijklmnop";
    static TestHosts hosts;
    static AgentProcess a, b;

    @BeforeAll
    static void start() throws Exception {
        hosts = TestHosts.start("mvt", 2);
        a = hosts.host(0);
        b = hosts.host(1);
    }

    @AfterAll
    static void stop() throws Exception {
        hosts.close();
    }

    @Test
    void aRunningServerMovesWithItsFilesAndHostname() throws Exception {
        a.json("POST", "/v1/servers", "{\"id\":\"mv-1\",\"hostname\":\"moved\",\"template\":\"busybox\",\"start\":true,\"limits\":{\"diskMiB\":256}}");
        String written = exec(a, "mv-1", "dd if=/dev/urandom of=/root/data bs=1M count=20 2>/dev/null; echo note > /root/note;"
                + " sha256sum /root/data");
        HttpResponse<String> nowhere = a.call("POST", "/v1/servers/mv-1/send", send(b, TOKEN));
        assertEquals(500, nowhere.statusCode(), nowhere.body());
        // refused (401) before its body is read, the block's connection closed: the sender sees either
        assertTrue(nowhere.body().contains("receiving agent"), "the receiving host knows no such move: " + nowhere.body());
        assertEquals("running", a.json("GET", "/v1/servers/mv-1", null).get("state").asText());

        receivingEnd(b, "mv-1", TOKEN);
        assertEquals(409, b.call("POST", "/v1/servers/mv-1/start", null).statusCode(), "the receiving end cannot start before the move commits");
        assertEquals(401, b.call("PUT", "/v1/incoming/mv-1/blocks/0", "x", "another-token-0123456789-abcdefghijklm").statusCode());
        assertEquals(401, b.call("PUT", "/v1/incoming/mv-1/blocks/0", "x", AgentProcess.SECRET).statusCode(), "the host secret is not the move's token");
        assertEquals(401, b.call("GET", "/v1/servers", null, TOKEN).statusCode(), "the move's token opens nothing else");

        JsonNode sent = a.json("POST", "/v1/servers/mv-1/send", send(b, TOKEN));
        assertTrue(sent.get("wasRunning").asBoolean());
        assertTrue(sent.get("bytesSent").asLong() >= 20L << 20, "the 20 MiB written went: " + sent);
        assertTrue(sent.get("rounds").asInt() >= 2, "copied while running, then once stopped: " + sent);

        assertEquals("stopped", a.json("GET", "/v1/servers/mv-1", null).get("state").asText(), "left stopped on the sending host");
        assertEquals("stopped", a.json("GET", "/v1/servers/mv-1", null).get("desired").asText(), "and not booted again by a restart there");
        JsonNode there = b.json("GET", "/v1/servers/mv-1", null);
        assertFalse(there.get("incoming").asBoolean());
        b.json("POST", "/v1/servers/mv-1/start", null);
        assertEquals(written, exec(b, "mv-1", "sha256sum /root/data"));
        assertEquals("note\nmoved\n0 0\n", exec(b, "mv-1", "cat /root/note; hostname; stat -c '%u %g' /root/note"),
                "files, hostname, and owners as root inside, in the receiving host's user range");
        assertEquals(401, b.call("PUT", "/v1/incoming/mv-1/blocks/0", "x", TOKEN).statusCode(), "the token ends with the move");
        a.call("DELETE", "/v1/servers/mv-1", null);
        b.call("DELETE", "/v1/servers/mv-1", null);
    }

    @Test
    void aMoveCutShortByTheReceiverDyingLeavesTheServerRunningWhereItWas() throws Exception {
        a.json("POST", "/v1/servers", "{\"id\":\"mv-2\",\"hostname\":\"stays\",\"template\":\"busybox\",\"start\":true,\"limits\":{\"diskMiB\":512}}");
        String written = exec(a, "mv-2", "dd if=/dev/urandom of=/root/data bs=1M count=200 2>/dev/null; sha256sum /root/data");
        receivingEnd(b, "mv-2", TOKEN);
        Path arriving = IncomingMove.of(TOKEN).image(new ServerPaths(b.state().resolve("servers/mv-2")));
        CompletableFuture<HttpResponse<String>> sending = CompletableFuture.supplyAsync(() -> {
            try {
                return a.call("POST", "/v1/servers/mv-2/send", send(b, TOKEN));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(Duration.ofSeconds(60), "blocks arriving at the receiving host", () -> size(arriving) > 8L << 20);
        b.kill();
        HttpResponse<String> failed = sending.get();
        assertEquals(500, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains("receiving agent"), failed.body());

        JsonNode here = a.json("GET", "/v1/servers/mv-2", null);
        assertEquals("running", here.get("state").asText(), "still running where it was");
        assertEquals(written, exec(a, "mv-2", "sha256sum /root/data"));

        b.start();
        assertEquals(404, b.call("GET", "/v1/servers/mv-2", null).statusCode(), "the receiving end removed when its agent came back");
        assertTrue(Files.notExists(b.state().resolve("servers/mv-2")), "nothing of it left on the receiving host");
        a.call("DELETE", "/v1/servers/mv-2", null);
    }

    @Test
    void aCopyThatDoesNotMatchItsChecksumsIsNotCommittedAndItsBlocksAreBounded() throws Exception {
        b.json("POST", "/v1/servers", "{\"id\":\"mv-3\",\"hostname\":\"x\",\"template\":\"busybox\",\"limits\":{\"diskMiB\":64},\"moveToken\":\"" + TOKEN + "\"}");
        HttpResponse<String> outside = b.call("PUT", "/v1/incoming/mv-3/blocks/67108864", "x", TOKEN);
        assertEquals(400, outside.statusCode(), "no block past the server's disk: " + outside.body());
        // a sender sending the same block on and on: what the receiver keeps of it is bounded
        int taken = 0;
        HttpResponse<String> block = null;
        while (taken < 5000 && (block = b.call("PUT", "/v1/incoming/mv-3/blocks/0", "not what was summed", TOKEN)).statusCode() == 204) {
            taken++;
        }
        assertEquals(429, block.statusCode(), block.body());
        assertTrue(taken >= 8 * 64, "the disk's blocks eight times over are taken first: " + taken);
        HttpResponse<String> commit = b.call("POST", "/v1/incoming/mv-3/commit",
                "{\"imageBytes\":67108864,\"blocks\":[{\"offset\":0,\"sha256\":\"" + "0".repeat(64) + "\"}]}", TOKEN);
        assertEquals(422, commit.statusCode(), commit.body());
        assertTrue(commit.body().contains("block at 0"), commit.body());
        assertTrue(b.json("GET", "/v1/servers/mv-3", null).get("incoming").asBoolean(), "still only the receiving end of a move");
        assertEquals(401, b.call("PUT", "/v1/incoming/mv-3/blocks/0", "x", TOKEN).statusCode(), "the commit spent the token");
        assertEquals(401, b.call("POST", "/v1/incoming/mv-3/commit", "{}", TOKEN).statusCode());
        b.call("DELETE", "/v1/servers/mv-3", null);
    }

    /**
     * A panel that takes a move over from one that died removes the receiving end and makes it again, while the first
     * sender may still be sending blocks: here blocks keep coming all the while the receiving end is removed and made
     * again, each time, and every removal leaves nothing (before, a block could make its file in the directory being
     * removed, and the removal failed with "not empty").
     */
    @Test
    void blocksArrivingWhileTheReceivingEndIsRemovedMakeNothingThere() throws Exception {
        String block = "x".repeat(ImageBlocks.BYTES);
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger landed = new AtomicInteger();
        ConcurrentHashMap<Integer, Integer> answers = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try {
            for (int t = 0; t < 3; t++) {
                int first = t;
                senders.submit(() -> {
                    for (long i = first; sending.get(); i += 3) {
                        int status;
                        try {
                            status = b.call("PUT", "/v1/incoming/mv-5/blocks/" + (i % 32) * ImageBlocks.BYTES, block, TOKEN).statusCode();
                        } catch (IOException e) {
                            status = 0; // refused before its body was read, the connection closed mid-send
                        }
                        answers.merge(status, 1, Integer::sum);
                        if (status == 204) {
                            landed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (int attempt = 0; attempt < 10; attempt++) {
                b.json("POST", "/v1/servers", "{\"id\":\"mv-5\",\"hostname\":\"x\",\"template\":\"busybox\",\"limits\":{\"diskMiB\":64},"
                        + "\"moveToken\":\"" + TOKEN + "\"}");
                int before = landed.get();
                Await.until(Duration.ofSeconds(30), "blocks landing in the receiving end", () -> landed.get() >= before + 3);
                HttpResponse<String> removed = b.call("DELETE", "/v1/servers/mv-5", null);
                assertEquals(204, removed.statusCode(), "removal " + (attempt + 1) + " amid blocks: " + removed.body());
                assertTrue(Files.notExists(b.state().resolve("servers/mv-5")), "nothing of it left");
            }
        } finally {
            sending.set(false);
            senders.shutdown();
            assertTrue(senders.awaitTermination(2, TimeUnit.MINUTES));
        }
        assertTrue(Files.notExists(b.state().resolve("servers/mv-5")), "no block made anything after the last removal: " + answers);
    }

    @Test
    void aServerOnAnUplinkIsAnsweredForByTheHostItIsOnOnly() throws Exception {
        String network = "{\"name\":\"mvpub\",\"kind\":\"public\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.10/24\","
                + "\"gateway4\":\"198.51.100.1\",\"resolvers\":[],\"uplink\":\"eth0\"}";
        a.json("POST", "/v1/servers", "{\"id\":\"mv-4\",\"hostname\":\"pub\",\"template\":\"busybox\",\"start\":true,"
                + "\"limits\":{\"diskMiB\":64},\"network\":" + network + "}");
        assertTrue(proxied(0), "the sending host answers for the server's address on its uplink");
        b.json("POST", "/v1/servers", "{\"id\":\"mv-4\",\"hostname\":\"pub\",\"template\":\"busybox\",\"limits\":{\"diskMiB\":64},"
                + "\"network\":" + network + ",\"moveToken\":\"" + TOKEN + "\"}");
        assertFalse(proxied(1), "not the receiving end, which does not run");

        a.json("POST", "/v1/servers/mv-4/send", send(b, TOKEN));
        assertFalse(proxied(0), "once the receiver has the server, the sending host no longer answers for its address");
        b.json("POST", "/v1/servers/mv-4/start", null);
        assertTrue(proxied(1), "the receiving host does");
        assertEquals("198.51.100.10/24", exec(b, "mv-4", "ip -4 -o addr show eth0 | awk '{print $4}'").trim());
        a.call("DELETE", "/v1/servers/mv-4", null);
        assertTrue(proxied(1), "the old copy's removal leaves the new host's answers alone");
        b.call("DELETE", "/v1/servers/mv-4", null);
    }

    /** Whether the test host's uplink, eth0, answers for 198.51.100.10 (a neighbour proxy entry). */
    private static boolean proxied(int host) throws Exception {
        Process p = new ProcessBuilder("ip", "-n", "cmvt-" + (host + 1), "neigh", "show", "proxy").redirectErrorStream(true).start();
        String entries = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), entries);
        return entries.contains("198.51.100.10 dev eth0");
    }

    /** The server made on the receiving host as the panel makes it: the same id, hostname, template and limits. */
    private static void receivingEnd(AgentProcess host, String id, String token) throws Exception {
        JsonNode server = a.json("GET", "/v1/servers/" + id, null);
        host.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + server.get("hostname").asText()
                + "\",\"template\":\"busybox\",\"limits\":" + server.get("limits") + ",\"moveToken\":\"" + token + "\"}");
    }

    private static String send(AgentProcess to, String token) {
        return "{\"to\":\"" + to.url() + "\",\"fingerprint\":\"" + to.fingerprint() + "\",\"token\":\"" + token + "\"}";
    }

    private static String exec(AgentProcess host, String id, String script) throws Exception {
        JsonNode r = host.json("POST", "/v1/servers/" + id + "/exec", "{\"command\":[\"sh\",\"-c\",\"" + script.replace("\"", "\\\"") + "\"]}");
        assertEquals(0, r.get("exitCode").asInt(), r.toString());
        return r.get("stdout").asText();
    }

    /** Blocks arrive in order of their offsets: the file's size says how far the copy got. */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (Exception e) {
            return 0;
        }
    }
}
