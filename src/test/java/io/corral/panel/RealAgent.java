package io.corral.panel;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real host agent from host-agent/ (built by ./test.sh before the panel's tests), serving on
 * loopback with its own state directory. Needs root, as the agent does.
 */
public final class RealAgent implements AutoCloseable {
    public static final String SECRET = "panel-e2e-secret-0123456789";
    final Path state;
    final int port;
    private final ProcessBuilder command;
    private Process process;

    private RealAgent(Path state, int port, ProcessBuilder command) throws IOException {
        this.state = state;
        this.port = port;
        this.command = command;
        this.process = command.start();
    }

    public static RealAgent start() throws Exception {
        Path jar = Path.of("host-agent/target/corral-agent.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the agent first (./test.sh does: mvn -f host-agent/pom.xml package)");
        }
        Path state = Files.createTempDirectory("corral-panel-e2e-agent");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--state-dir", state.toString(), "--stop-grace", "3", "serve", "--port", Integer.toString(port));
        pb.environment().put("CORRAL_AGENT_SECRET", SECRET);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("agent.log").toFile()));
        RealAgent agent = new RealAgent(state, port, pb);
        agent.awaitUp();
        return agent;
    }

    /** kill -9 of the agent alone: its servers keep running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The same agent again: same port, same state directory. */
    public void startAgain() throws Exception {
        process = command.start();
        awaitUp();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The agent's own view of a server, straight from its API. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.header("Authorization", "Bearer " + SECRET).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitUp() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                if (get("/v1/host").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("agent did not start: " + Files.readString(state.resolve("agent.log")), e);
                }
            }
            Thread.sleep(50);
        }
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).DELETE());
    }

    /** Destroys what a failed test left on the agent, stops it and removes its state. */
    @Override
    public void close() throws Exception {
        for (var server : new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/v1/servers").body())) {
            delete("/v1/servers/" + server.get("id").asText());
        }
        process.destroy();
        process.waitFor();
        try (var walk = Files.walk(state)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
