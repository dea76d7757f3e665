package io.corral.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.api.AgentCertificate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real `corral-agent serve` in its own process, as the panel talks to it: HTTPS pinned to its certificate. */
public final class AgentProcess implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789";
    /**
     * How long a start may take: seconds here, tens of them in test-v2.sh's emulated guest, and minutes there while the
     * host's cores are busy with the panel's tests beside it (test-v2.sh sets corral.test.agent-start-seconds).
     */
    public static final Duration START = Duration.ofSeconds(Long.getLong("corral.test.agent-start-seconds", 120));
    private final Path state;
    private final int port;
    private HttpClient https;
    private String fingerprint;
    private Process process;
    private Path toolsFirst;
    private List<String> wrapper = List.of();
    private String address = "127.0.0.1";

    public AgentProcess(Path state) throws IOException {
        this.state = state;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** Tools in dir come before the host's on the agent's PATH (see {@link ToolFault}). */
    public AgentProcess withToolsFirst(Path dir) {
        this.toolsFirst = dir;
        return this;
    }

    /** The agent's command line is run by this one (e.g. unshare and a shell that sets up namespaces, then execs it). */
    public AgentProcess wrappedIn(List<String> command) {
        this.wrapper = command;
        return this;
    }

    /** Listens on this address instead of loopback (a test host's, see {@link TestHosts}), and is called there. */
    public AgentProcess listeningOn(String address) {
        this.address = address;
        return this;
    }

    /** https://address:port, where the agent answers. */
    public String url() {
        return "https://" + address + ":" + port;
    }

    public Path state() {
        return state;
    }

    public AgentProcess start() throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.corral.agent.cli.Main",
                "--state-dir", state.toString(), "--stop-grace", "3", "serve", "--listen", address, "--port", Integer.toString(port), "--console-port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CORRAL_AGENT_SECRET", SECRET);
        if (toolsFirst != null) {
            pb.environment().put("PATH", toolsFirst + ":" + System.getenv("PATH"));
        }
        pb.redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile());
        process = pb.start();
        // the agent makes its key at first start, whole or not at all
        Await.until(START, "agent's certificate", () -> Files.exists(state.resolve("tls/agent.p12")));
        fingerprint = AgentCertificate.loadOrCreate(StateDir.of(state)).fingerprint();
        https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(PinnedCertificate.context(fingerprint)).build();
        Await.until(START, "agent answers on port " + port, () -> {
            try {
                return call("GET", "/v1/host", null, SECRET).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** The agent's descriptors open now. */
    public long openDescriptors() throws IOException {
        try (java.util.stream.Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /** The agent's pid (also that of its wrapper, which execs it). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** The SHA-256 fingerprint of the certificate it presents. */
    public String fingerprint() {
        return fingerprint;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** kill -9: no chance to clean anything up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public HttpResponse<String> call(String method, String path, String json, String secret) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public HttpResponse<String> call(String method, String path, String json) throws IOException {
        return call(method, path, json, SECRET);
    }

    public JsonNode json(String method, String path, String json) throws IOException {
        HttpResponse<String> r = call(method, path, json);
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /** Destroys whatever servers a test left in the state directory, then removes it. */
    public static void cleanUp(Path state) {
        destroyServers(state);
        io.corral.agent.sys.FileTrees.delete(state);
    }

    /** Destroys whatever servers a test left in the state directory. */
    public static void destroyServers(Path state) {
        Agent agent = Agent.open(state, Duration.ofSeconds(1), true);
        for (var server : agent.servers().list()) {
            agent.servers().destroy(server.id());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
