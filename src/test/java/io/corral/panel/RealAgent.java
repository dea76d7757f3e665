package io.corral.panel;

import io.corral.panel.agent.CertificatePin;
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
 * A real host agent, with the busybox template built, from host-agent/ (built by ./test.sh before the panel's tests), serving HTTPS on
 * loopback with its own state directory and key. Needs root, as the agent does.
 */
public final class RealAgent implements AutoCloseable {
    public static final String SECRET = "panel-e2e-secret-0123456789";
    static final Path JAR = Path.of("host-agent/target/corral-agent.jar").toAbsolutePath();
    final Path state;
    final int port;
    private final ProcessBuilder command;
    /** What runs the agent and its command line: nothing, or scripts/test-hosts.sh run NAMESPACE for a test host. */
    private final java.util.List<String> wrapper;
    private final String address;
    private Process process;
    private String fingerprint;
    private HttpClient https;

    private RealAgent(Path state, int port, ProcessBuilder command, java.util.List<String> wrapper, String address) {
        this.state = state;
        this.port = port;
        this.command = command;
        this.wrapper = wrapper;
        this.address = address;
    }

    /** options: the agent's own, before its serve command (such as --user-namespaces=off). */
    /** v2 where /sys/fs/cgroup is the unified hierarchy, else v1: what the agent reports for this host. */
    public static String hostCgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1";
    }

    public static RealAgent start(String... options) throws Exception {
        return startWithToolsFirst(null, options);
    }

    /**
     * As {@link #start}, with the programs in tools found before the host's on the agent's PATH: a
     * stand-in for a host tool (mkfs.ext4, say) holds an action of the agent at a point a test chooses.
     */
    public static RealAgent startWithToolsFirst(Path tools, String... options) throws Exception {
        return launch(tools, java.util.List.of(), "127.0.0.1", options);
    }

    /** As {@link #start}, as one of the hosts of {@link TestHosts}: in its network namespace, listening on its address. */
    static RealAgent startAsTestHost(java.util.List<String> wrapper, String address, String... options) throws Exception {
        return launch(null, wrapper, address, options);
    }

    private static RealAgent launch(Path tools, java.util.List<String> wrapper, String address, String... options) throws Exception {
        Path jar = JAR;
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the agent first (./test.sh does: mvn -f host-agent/pom.xml package)");
        }
        Path state = Files.createTempDirectory("corral-panel-e2e-agent");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.util.List<String> argv = new java.util.ArrayList<>(wrapper);
        argv.addAll(java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--state-dir", state.toString(), "--stop-grace", "3"));
        argv.addAll(java.util.List.of(options));
        argv.addAll(java.util.List.of("serve", "--listen", address, "--port", Integer.toString(port), "--console-port", "0", "--sample-every", "1"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("CORRAL_AGENT_SECRET", SECRET);
        if (tools != null) {
            pb.environment().put("PATH", tools + ":" + System.getenv("PATH"));
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("agent.log").toFile()));
        RealAgent agent = new RealAgent(state, port, pb, wrapper, address);
        agent.startAgain();
        HttpResponse<String> built = agent.post("/v1/templates/busybox/build");
        if (built.statusCode() != 200) {
            throw new IllegalStateException("busybox template not built: " + built.body());
        }
        return agent;
    }

    /** kill -9 of the agent alone: its servers keep running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The same agent again: same port, same state directory. Its key is made by the fingerprint command if it has none yet. */
    public void startAgain() throws Exception {
        fingerprint = cli("fingerprint");
        https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(CertificatePin.sslContext(fingerprint)).build();
        process = command.start();
        awaitUp();
    }

    /** The same agent again with a key made anew, as after its state's tls/ was lost. */
    public void startWithNewKey() throws Exception {
        kill();
        TestFiles.deleteTree(state.resolve("tls"));
        startAgain();
    }

    /**
     * Makes one cgroup file of a running server refuse writes until closed (a file of /proc bound over it: a write to it
     * fails), as a host's kernel may refuse a limit.
     */
    public AutoCloseable refusingWrites(long serverId, String controller, String file) throws Exception {
        Path group = Path.of("/sys/fs/cgroup");
        if (hostCgroupVersion().equals("v1")) {
            group = group.resolve(controller);
        }
        String held = group.resolve(instance()).resolve("vs-" + serverId).resolve(file).toString();
        HostCommand.run("mount", "--bind", "/proc/version", held);
        return () -> HostCommand.run("umount", held);
    }

    /** The agent's name for what it makes on the host (cgroups, nftables tables), as its facts give it. */
    private String instance() throws IOException, InterruptedException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/v1/host").body()).get("instance").asText();
    }

    /** The address it listens on: its test host's, or loopback. */
    String address() {
        return address;
    }

    public String url() {
        return "https://" + address + ":" + port;
    }

    /** The SHA-256 fingerprint of the certificate it presents, as `corral-agent fingerprint` prints it. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The agent's own view of a server, straight from its API. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    /** The server's state as the agent itself reports it (running, stopped ...). */
    public String state(long serverId) throws IOException, InterruptedException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/v1/servers/" + serverId).body()).get("state").asText();
    }

    /**
     * How much of a move's image has arrived at this agent as the server's receiving end: its file is named after the
     * move's token (which only the panel and the agents know), so whichever image file the server's directory holds.
     */
    public long arrived(long serverId) {
        try (java.util.stream.Stream<Path> files = Files.list(state.resolve("servers/" + serverId))) {
            return files.filter(f -> f.getFileName().toString().startsWith("disk.img.incoming-") && !f.toString().endsWith(".sums"))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0; // not made yet
        }
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return https.send(b.header("Authorization", "Bearer " + SECRET).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
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
        return sendJson("POST", path, json);
    }

    public HttpResponse<String> sendJson(String method, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Destroys the servers left through the agent's API, stops the agent, then destroys whatever servers are still
     * left with the agent's own command line (those of an agent a test stopped, any a panel's worker created at the
     * last moment), removes its nftables tables and the state directory. The API first: each command line is a JVM
     * started, seconds on a busy machine, and a test class leaves several servers.
     */
    @Override
    public void close() throws Exception {
        String instance = process.isAlive() ? instance() : null;
        if (instance != null) {
            for (String server : serversLeft()) {
                try {
                    send(HttpRequest.newBuilder(URI.create(url() + "/v1/servers/" + server)).DELETE());
                } catch (IOException e) {
                    // the command line below destroys what the API did not
                }
            }
        }
        process.destroy();
        process.waitFor();
        for (String server : serversLeft()) {
            cli("destroy", server);
        }
        for (String family : instance == null ? new String[0] : new String[] {"bridge", "inet"}) {
            new ProcessBuilder("nft", "delete", "table", family, instance).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        TestFiles.deleteTree(state);
    }

    /** The ids of the servers in the agent's state directory. */
    private java.util.List<String> serversLeft() throws IOException {
        Path servers = state.resolve("servers");
        if (!Files.isDirectory(servers)) {
            return java.util.List.of();
        }
        try (var ids = Files.list(servers)) {
            return ids.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The agent's command line on its state directory; its output. */
    private String cli(String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(wrapper);
        command.addAll(java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--state-dir", state.toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }
}
