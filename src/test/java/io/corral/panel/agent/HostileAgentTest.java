package io.corral.panel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.corral.panel.EmbeddedPostgresResource;
import io.corral.panel.KeycloakResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent whose host was taken over cannot make the panel hold or read more of an answer than the call takes: an endless
 * answer, success or error, JSON or multipart, fails the call naming the host and the bound, and its connection is closed
 * rather than drained; so does one trickled for longer than the call may take, and one of more JSON tokens than the panel
 * takes; a console's answer to its token is bounded in time the same way. An answer of exactly the bound is still read,
 * and a connection whose answer was read to its end serves the next call.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HostileAgentTest {
    static HttpsServer hostile;
    static SSLServerSocket consoles;
    static Agent agent;
    /** Set by an endless answer once a write failed: the panel closed its connection. */
    static volatile CountDownLatch cutOff;
    static final AtomicLong written = new AtomicLong();
    /** Counted down by each exec the agent holds; released by the test. */
    static final CountDownLatch held = new CountDownLatch(20), release = new CountDownLatch(1);
    /** The ports the panel called /v1/servers/kept from. */
    static final Set<Integer> callers = ConcurrentHashMap.newKeySet();

    @Inject
    AgentClient agents;
    @Inject
    Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("hostile-agent");
        Path store = dir.resolve("agent.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "hostile", "-alias", "agent", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=hostile", "-validity", "2").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "hostile".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "hostile".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        hostile = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hostile.setHttpsConfigurator(new HttpsConfigurator(tls));
        hostile.setExecutor(Executors.newCachedThreadPool());
        hostile.createContext("/v1/servers", exchange -> endless(exchange, 200));
        hostile.createContext("/v1/host", exchange -> endless(exchange, 500));
        hostile.createContext("/v1/samples", HostileAgentTest::exactlyTheCap);
        hostile.createContext("/v1/servers/trickle/exec", HostileAgentTest::trickle);
        hostile.createContext("/v1/servers/multipart", HostileAgentTest::endlessPart);
        hostile.createContext("/v1/servers/short", exchange -> {
            byte[] answer = "{\"id\":\"short\"}".getBytes(StandardCharsets.US_ASCII);
            answer(exchange, answer);
        });
        // the exec's command running, until the test lets it end
        hostile.createContext("/v1/servers/held/exec", exchange -> answerOnceReleased(exchange, held, release,
                "{\"exitCode\":0,\"stdout\":\"\",\"stderr\":\"\"}"));
        hostile.createContext("/v1/servers/verbose", exchange -> {
            byte[] answer = ("{\"status\":500,\"detail\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.US_ASCII);
            answer(exchange, 500, "application/problem+json", answer);
        });
        hostile.createContext("/tokens/", HostileAgentTest::emptyObjects);
        hostile.createContext("/v1/servers/kept", exchange -> {
            callers.add(exchange.getRemoteAddress().getPort());
            byte[] answer = "{\"id\":\"kept\"}\n\n".getBytes(StandardCharsets.UTF_8);
            answer(exchange, answer);
        });
        consoles = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        hostile.getExecutor().execute(HostileAgentTest::trickleConsoles);
        String ticket = "{\"token\":\"t\",\"port\":" + consoles.getLocalPort() + "}";
        hostile.createContext("/v1/servers/trickling/console", exchange -> {
            byte[] answer = ticket.getBytes(StandardCharsets.US_ASCII);
            answer(exchange, answer);
        });
        hostile.start();
        agent = new Agent("hostile", "https://127.0.0.1:" + hostile.getAddress().getPort(),
                CertificatePin.fingerprint((X509Certificate) keys.getCertificate("agent")), "secret");
    }

    @AfterAll
    static void stop() throws IOException {
        hostile.stop(0);
        consoles.close();
    }

    /** A JSON array that never ends, chunked, until a write fails. */
    static void endless(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, 0);
        byte[] spaces = new byte[1 << 16];
        Arrays.fill(spaces, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
            out.write('[');
            while (true) {
                out.write(spaces);
                written.addAndGet(spaces.length);
            }
        } catch (IOException closed) {
            cutOff.countDown();
        }
    }

    /** A multipart answer whose first part's header never ends, until a write fails. */
    static void endlessPart(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "multipart/form-data; boundary=x");
        exchange.sendResponseHeaders(200, 0);
        byte[] name = new byte[1 << 16];
        Arrays.fill(name, (byte) 'a');
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("--x\r\nContent-Disposition: form-data; name=\"".getBytes(StandardCharsets.US_ASCII));
            while (true) {
                out.write(name);
            }
        } catch (IOException closed) {
            cutOff.countDown();
        }
    }

    /** 1.2 million JSON tokens in 1.8 MB: a list of 600,000 empty objects. */
    static void emptyObjects(HttpExchange exchange) throws IOException {
        byte[] answer = ("[" + "{},".repeat(599_999) + "{}]").getBytes(StandardCharsets.US_ASCII);
        answer(exchange, answer);
    }

    /** An object that never ends, a space every 100 ms, until a write fails. */
    static void trickle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write('{');
            while (true) {
                out.write(' ');
                out.flush();
                written.incrementAndGet();
                Thread.sleep(100); // the pace of the hostile agent, not a wait for anything
            }
        } catch (IOException closed) {
            cutOff.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A console listener answering each session's token a byte every 100 ms, never a whole line. */
    static void trickleConsoles() {
        while (!consoles.isClosed()) {
            try (Socket session = consoles.accept(); OutputStream out = session.getOutputStream()) {
                while (true) {
                    out.write('o');
                    out.flush();
                    Thread.sleep(100); // the pace of the hostile agent, not a wait for anything
                }
            } catch (IOException closed) {
                cutOff.countDown();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The refusal of an answer the panel does not read, for this reason: what it names and what it tells the admin to do. */
    static String unreadable(String reason) {
        return "host hostile gave an answer the panel does not read: " + reason + "; an agent of this release never does: check"
                + " what answers at the host's address (its agent's log, `corral-agent --version`), and whether the host is still yours";
    }

    /** Counts down arrived, then answers the JSON once the test releases it (within 2 minutes). */
    static void answerOnceReleased(HttpExchange exchange, CountDownLatch arrived, CountDownLatch released, String json) throws IOException {
        arrived.countDown();
        try {
            released.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer(exchange, json.getBytes(StandardCharsets.US_ASCII));
    }

    /** The whole answer, of its length, as JSON. */
    static void answer(HttpExchange exchange, byte[] answer) throws IOException {
        answer(exchange, 200, "application/json", answer);
    }

    static void answer(HttpExchange exchange, int status, String contentType, byte[] answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** An empty list padded with spaces to exactly the cap. */
    static void exactlyTheCap(HttpExchange exchange) throws IOException {
        byte[] answer = new byte[AgentClient.ROUNDS];
        Arrays.fill(answer, (byte) ' ');
        answer[0] = '[';
        answer[answer.length - 1] = ']';
        answer(exchange, answer);
    }

    @Test
    void anEndlessAnswerFailsTheCallAndItsConnectionIsClosed() throws Exception {
        cutOff = new CountDownLatch(1);
        written.set(0);
        AgentException refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(AgentException.class,
                () -> agents.servers(agent)), "an endless answer is not read for ever");
        assertEquals(0, refused.status());
        assertEquals(unreadable("an answer longer than 16 MiB"), refused.getMessage());
        assertTrue(cutOff.await(30, TimeUnit.SECONDS), "the connection is closed, not drained: " + written.get() + " bytes written");
        assertTrue(written.get() < 32L << 20, "the agent wrote " + written.get() + " bytes");
    }

    @Test
    void anEndlessErrorIsNotBufferedEither() throws Exception {
        cutOff = new CountDownLatch(1);
        AgentException refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(AgentException.class,
                () -> agents.host(agent)));
        assertEquals(unreadable("an answer longer than 1 MiB"), refused.getMessage());
        assertTrue(cutOff.await(30, TimeUnit.SECONDS), "the connection is closed, not drained");
    }

    @Test
    void aRefusalsDetailIsKeptBounded() {
        AgentException refused = assertThrows(AgentException.class, () -> agents.server(agent, "verbose"));
        assertEquals(500, refused.status());
        assertEquals("host hostile: " + "x".repeat(1000) + "…", refused.getMessage(), "kept with the host and shown");
    }

    @Test
    void anEndlessMultipartAnswerIsNotDecodedWhole() throws Exception {
        cutOff = new CountDownLatch(1);
        AgentException refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(AgentException.class,
                () -> agents.server(agent, "multipart")));
        assertEquals(unreadable("an answer longer than 1 MiB"), refused.getMessage());
        assertTrue(cutOff.await(30, TimeUnit.SECONDS), "the connection is closed, not drained");
    }

    @Test
    void anAnswerOfMoreTokensThanThePanelTakesIsRefused() {
        Agent tokens = new Agent(agent.host(), agent.url() + "/tokens", agent.fingerprint(), agent.secret());
        AgentException refused = assertThrows(AgentException.class, () -> agents.servers(tokens));
        assertTrue(refused.getMessage().startsWith("host hostile gave an answer the panel does not read: Token count (1000001) exceeds")
                && refused.getMessage().endsWith("whether the host is still yours"),
                refused.getMessage());
    }

    @Test
    void anAnswerTrickledForEverFailsAtTheCallsTime() throws Exception {
        cutOff = new CountDownLatch(1);
        // an exec of 1 s may take 31 s to answer
        AgentException refused = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> assertThrows(AgentException.class,
                () -> agents.exec(agent, "trickle", List.of("true"), 1)));
        assertEquals("host hostile (" + agent.url() + ") cannot be reached: no whole answer within 31 s", refused.getMessage());
        assertTrue(cutOff.await(30, TimeUnit.SECONDS), "the connection is closed");
    }

    @Test
    void aConnectionWhoseAnswerEndedServesTheNextCall() {
        for (int i = 0; i < 3; i++) {
            assertEquals("kept", agents.server(agent, "kept").orElseThrow().id());
        }
        assertEquals(1, callers.size(), "one connection, read to the end of each answer, served all three: " + callers);
    }

    @Test
    void aConsoleAnswerTrickledForEverFailsAtItsDeadline() throws Exception {
        cutOff = new CountDownLatch(1);
        AgentException refused = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> assertThrows(AgentException.class,
                () -> agents.console(agent, "trickling")));
        assertTrue(refused.getMessage().startsWith("host hostile (127.0.0.1:")
                && refused.getMessage().endsWith("console cannot be reached: no answer to the token within 15 s"), refused.getMessage());
        assertTrue(cutOff.await(30, TimeUnit.SECONDS), "the session is closed");
    }

    /** Execs holding every connection of their pool leave the calls that keep the host's state their own. */
    @Test
    void execsHoldingTheirPoolLeaveTheShortCallsTheirOwn() throws Exception {
        ExecutorService customers = Executors.newFixedThreadPool(20);
        try {
            for (int i = 0; i < 20; i++) {
                customers.submit(() -> agents.exec(agent, "held", List.of("sleep", "90"), 90));
            }
            assertTrue(held.await(30, TimeUnit.SECONDS), "the agent holds 20 execs");
            ServerState answered = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> agents.server(agent, "short").orElseThrow());
            assertEquals("short", answered.id());
        } finally {
            release.countDown();
            customers.shutdown();
        }
    }

    @Test
    void anAnswerOfExactlyTheCapIsRead() {
        assertEquals(0, agents.samples(agent, 0, 1).size());
    }

    /** A pool no call has used for a while is closed (its host deleted, moved or pinned anew); one with a call in flight is not. */
    @Test
    void aPoolNoCallUsesIsDroppedAndOneInUseIsNot() throws Exception {
        AgentHttp http = new AgentHttp(vertx);
        assertEquals(200, http.exchange(agent, AgentHttp.Lane.SHORT, HttpMethod.GET, "/v1/servers/short", null, Duration.ofSeconds(30), 1 << 20, a -> a).status());
        CountDownLatch asked = new CountDownLatch(1), answer = new CountDownLatch(1);
        hostile.createContext("/v1/servers/slow", exchange -> answerOnceReleased(exchange, asked, answer, "{\"id\":\"slow\"}"));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<AgentHttp.Answer> inFlight = caller.submit(() -> http.exchange(agent, AgentHttp.Lane.LONG, HttpMethod.GET, "/v1/servers/slow",
                    null, Duration.ofSeconds(60), 1 << 20, a -> a));
            assertTrue(asked.await(30, TimeUnit.SECONDS), "the slow call reached the agent");
            assertEquals(2, http.pools());
            http.dropUnused(Duration.ZERO);
            assertEquals(1, http.pools(), "the unused pool dropped, the one with a call in flight kept");
            answer.countDown();
            assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).status(), "the call in flight ends as it would have");
            http.dropUnused(Duration.ZERO);
            assertEquals(0, http.pools());
            assertEquals(200, http.exchange(agent, AgentHttp.Lane.SHORT, HttpMethod.GET, "/v1/servers/short", null, Duration.ofSeconds(30), 1 << 20,
                    a -> a).status(), "a call after its pool was dropped gets a new one");
        } finally {
            answer.countDown();
            caller.shutdownNow();
            http.close();
        }
    }

    /**
     * What the panel reads of one agent's answers at once is bounded in each of its pools: an answer that would take it
     * past the bound fails and its connection is reset; the bytes of an answer read count until the caller has taken what it
     * carries (its parsing holds them and more), and are given back then.
     */
    @Test
    void anAgentsAnswersReadAtOnceAreBounded() throws Exception {
        AgentHttp small = new AgentHttp(vertx, 1 << 20), roomForOne = new AgentHttp(vertx, 40 << 20);
        try {
            AgentHttp.NoRoom refused = assertThrows(AgentHttp.NoRoom.class, () -> small.exchange(agent, AgentHttp.Lane.SHORT, HttpMethod.GET,
                    "/v1/samples", null, Duration.ofSeconds(30), AgentClient.ROUNDS, a -> a));
            assertEquals("the panel is reading 1 MiB of its answers already", refused.getMessage());
            assertEquals(0, small.reading(), "what the refused answer held is given back");
            assertEquals(200, small.exchange(agent, AgentHttp.Lane.SHORT, HttpMethod.GET, "/v1/servers/short", null, Duration.ofSeconds(30),
                    1 << 20, a -> a).status());
            for (int i = 0; i < 2; i++) {
                long whileTaken = roomForOne.exchange(agent, AgentHttp.Lane.SHORT, HttpMethod.GET, "/v1/samples", null,
                        Duration.ofSeconds(60), AgentClient.ROUNDS, a -> roomForOne.reading());
                assertEquals(AgentClient.ROUNDS, whileTaken, "32 MiB of 40, still counted while taken");
                assertEquals(0, roomForOne.reading(), "given back once taken");
            }
        } finally {
            small.close();
            roomForOne.close();
        }
    }
}
