package io.corral.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import io.corral.agent.PinnedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the agent's API is reached: HTTPS only, with a key and certificate of its own that stay the
 * same across restarts and that `corral-agent fingerprint` names; and clients that deliver their
 * request a byte a second neither keep others waiting nor hold the agent's workers for long.
 */
class TransportTest {
    static Path state;
    static AgentProcess agent;

    @BeforeAll
    static void startAgent() throws Exception {
        state = Files.createTempDirectory("corral-transport-test-");
        agent = new AgentProcess(state).start();
    }

    @AfterAll
    static void stopAgent() throws Exception {
        agent.close();
        AgentProcess.cleanUp(state);
    }

    @Test
    void httpsOnlyWithACertificateOfItsOwnKeptAcrossRestarts() throws Exception {
        assertEquals(200, agent.call("GET", "/v1/host", null).statusCode());
        assertEquals("rwx------", mode(state.resolve("tls")));
        assertEquals("rw-------", mode(state.resolve("tls/agent.p12")));
        String fingerprint = agent.fingerprint();
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
        assertEquals(fingerprint, cli("fingerprint"));
        assertTrue(Files.readString(state.resolve("agent.log")).contains("certificate SHA-256 " + fingerprint));

        // plain HTTP, with the right secret even, gets no HTTP answer at all
        try (Socket plain = new Socket("127.0.0.1", agent.port())) {
            plain.setSoTimeout(5000);
            plain.getOutputStream().write(("GET /v1/host HTTP/1.1\r\nHost: agent\r\nAuthorization: Bearer " + AgentProcess.SECRET
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(answer.contains("HTTP/"), answer);
        }

        agent.kill();
        agent.start();
        assertEquals(fingerprint, agent.fingerprint(), "the same key after a restart");
        assertEquals(200, agent.call("GET", "/v1/host", null).statusCode(), "and it presents that certificate");
    }

    @Test
    void slowClientsKeepNoOneWaitingAndAreCutOff() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            Instant opened = Instant.now();
            SSLSocketFactory tls = PinnedCertificate.context(agent.fingerprint()).getSocketFactory();
            for (int i = 0; i < 60; i++) {
                // half stall in the TLS handshake: a record header announcing 512 bytes that come a byte a second
                Socket handshake = new Socket("127.0.0.1", agent.port());
                handshake.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                slow.add(handshake);
                // half after it: the request's headers a byte a second
                SSLSocket request = (SSLSocket) tls.createSocket("127.0.0.1", agent.port());
                request.setSoTimeout(5000); // the handshake needs a worker too: without enough of them it would wait for ever
                request.startHandshake();
                slow.add(request);
            }
            byte[] headers = ("GET /v1/host HTTP/1.1\r\nHost: agent\r\n" + "X-Slow: a".repeat(100)).getBytes(StandardCharsets.US_ASCII);
            AtomicInteger next = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : slow) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(headers[next.get() % headers.length]);
                        out.flush();
                    } catch (IOException closed) {
                        // cut off by the agent: what the test waits for
                    }
                }
                next.incrementAndGet();
            }, 0, 1, TimeUnit.SECONDS);

            Await.until(Duration.ofSeconds(5), "a byte from every slow client", () -> next.get() >= 2);
            Instant asked = Instant.now();
            assertEquals(200, agent.call("GET", "/v1/host", null).statusCode());
            Duration took = Duration.between(asked, Instant.now());
            assertTrue(took.toMillis() < ApiServer.MAX_REQUEST_SECONDS * 1000 / 2,
                    "answered in " + took.toMillis() + " ms while " + slow.size() + " slow clients were connected");

            Await.until(Duration.ofSeconds(ApiServer.MAX_REQUEST_SECONDS + 5), "every slow client cut off", () -> slow.stream().allMatch(TransportTest::closedByAgent));
            assertTrue(Duration.between(opened, Instant.now()).toSeconds() >= ApiServer.MAX_REQUEST_SECONDS - 1,
                    "not before they had their time");
            assertEquals(200, agent.call("GET", "/v1/host", null).statusCode());
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** Whether the agent has closed the connection: end of stream or a reset, rather than nothing to read yet. */
    private static boolean closedByAgent(Socket s) {
        try {
            s.setSoTimeout(20);
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // an alert or an error page before the close
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.corral.agent.cli.Main", "--state-dir", state.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
