import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.api.AgentCertificate;
import io.corral.agent.api.ApiServer;
import io.corral.agent.api.Problem;
import io.corral.agent.host.HostFacts;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.metering.SampleRound;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.spec.ServerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many hosts' agents in one process, for the panel's scale benchmark (bench/scale.sh): host n answers under
 * https://ADDRESS:PORT/h/n with the real agent's /v1 API as the panel uses it (facts, servers, sampling rounds, create,
 * start, stop, restart, a change of limits, destroy), its TLS 1.3, its bearer secret and its JSON, written by the agent's own records. Nothing
 * runs: a server is a name on its host, and its samples are generated from the round's number (its counters grow
 * steadily), so the process's memory does not grow with time. The panel cannot tell it from real agents, except that
 * every host presents the same certificate. The servers of the placement hold the agent's default limits, which
 * bench/scale-seed.sql gives them too.
 *
 * Run: java -cp ../target/corral-agent.jar StandInAgent.java ADDRESS PORT STATE_DIR PLACEMENT [SAMPLE_SECONDS]
 * with the hosts' secret in AGENT_SECRET. PLACEMENT: one line "HOST SERVER-ID" per server (the panel's placement).
 * STATE_DIR keeps the certificate; its SHA-256 fingerprint is printed first, then "ready".
 */
public final class StandInAgent {
    /** The sampling rounds a host keeps, as the real agent's spool keeps a bounded number. */
    private static final int ROUNDS_KEPT = 360;
    private static final String[] TEMPLATES = {"busybox", "debian", "debian-ssh"};

    private final Map<Integer, Set<String>> servers = new ConcurrentHashMap<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    /** The limits of servers created or changed since the stand-in started; the rest hold the defaults, as the seed has them. */
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();
    private final byte[] secret;
    private final long startMillis = System.currentTimeMillis();
    private final long sampleMillis;
    private final String epoch = "standin-" + startMillis;
    private final AtomicLong requests = new AtomicLong();

    private StandInAgent(byte[] secret, long sampleMillis) {
        this.secret = secret;
        this.sampleMillis = sampleMillis;
    }

    public static void main(String[] args) throws Exception {
        String secret = System.getenv("AGENT_SECRET");
        if (args.length < 4 || secret == null) {
            System.err.println("usage: AGENT_SECRET=... java -cp corral-agent.jar StandInAgent.java ADDRESS PORT STATE_DIR PLACEMENT [SAMPLE_SECONDS]");
            System.exit(2);
        }
        StandInAgent agent = new StandInAgent(("Bearer " + secret).getBytes(StandardCharsets.UTF_8),
                1000L * (args.length > 4 ? Integer.parseInt(args[4]) : 10));
        for (String line : Files.readAllLines(Path.of(args[3]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                agent.on(Integer.parseInt(f[0])).add(f[1]);
            }
        }
        AgentCertificate certificate = AgentCertificate.loadOrCreate(StateDir.of(Path.of(args[2])));
        ApiServer.configureJdkServer(); // as the agent
        // The JDK's server keeps 200 idle connections and closes the rest, each of which then costs a TLS handshake on
        // its next request: a real agent has a few (one per panel and timeout), so the stand-in keeps as many per host,
        // and takes as many connections as its hosts' agents would.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        System.setProperty("jdk.httpserver.maxConnections", "100000");
        HttpsServer http = HttpsServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 1024);
        http.setHttpsConfigurator(certificate.httpsConfigurator());
        // as the agent: a thread for each request being read or answered, since a thread reading a request waits on
        // its client (the TLS handshake of a new connection, then the request), and thousands of hosts connect at once
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/h/", agent::handle);
        http.start();
        System.out.println(certificate.fingerprint());
        System.out.println("ready");
        System.out.flush();
        while (true) { // the request count, for the benchmark's log
            Thread.sleep(60_000);
            System.err.println(Instant.now() + " requests " + agent.requests.get());
        }
    }

    private Set<String> on(int host) {
        return servers.computeIfAbsent(host, h -> ConcurrentHashMap.newKeySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            int status;
            Object body;
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), secret)) {
                status = 401;
                body = Problem.of(401, "unauthorized", "missing or wrong host secret (Authorization: Bearer <secret>)", null);
            } else {
                byte[] request = exchange.getRequestBody().readNBytes(1 << 20);
                Object[] answer;
                try {
                    answer = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(), request);
                } catch (RuntimeException e) {
                    answer = new Object[] {400, Problem.of(400, "invalid", String.valueOf(e.getMessage()), null)};
                }
                status = (int) answer[0];
                body = answer[1];
            }
            byte[] json = body == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", body instanceof Problem ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, json.length == 0 ? -1 : json.length);
            if (json.length > 0) {
                exchange.getResponseBody().write(json);
            }
        }
    }

    /** [status, body] for METHOD /h/HOST/v1/...; the route names are the real agent's (ApiServer). */
    private Object[] route(String method, String path, String query, byte[] request) throws IOException {
        String[] p = path.replaceAll("/+$", "").split("/"); // "", "h", host, "v1", collection, id, action
        if (p.length < 5 || !p[3].equals("v1")) {
            return notFound(method, path);
        }
        int host = Integer.parseInt(p[2]);
        Set<String> here = on(host);
        String id = p.length > 5 ? p[5] : null;
        String key = method + " " + p[4] + (id != null ? "/{}" : "") + (p.length > 6 ? "/" + p[6] : "");
        return switch (key) {
            case "GET host" -> ok(facts(host, here));
            case "GET samples" -> ok(samples(here, query));
            case "GET templates" -> ok(List.of(TEMPLATES));
            case "POST templates/{}/build" -> ok(id);
            case "GET servers" -> ok(here.stream().map(this::view).toList());
            case "POST servers" -> {
                CreateRequest create = Json.MAPPER.readValue(request, CreateRequest.class);
                here.add(create.id());
                limits.put(create.id(), Limits.DEFAULTS.with(create.limits()));
                if (!create.start()) {
                    stopped.add(create.id());
                }
                yield new Object[] {201, view(create.id())};
            }
            case "GET servers/{}" -> here.contains(id) ? ok(view(id)) : notFound(method, path);
            case "PUT servers/{}/limits" -> {
                if (!here.contains(id)) {
                    yield notFound(method, path);
                }
                LimitsChange change = Json.MAPPER.readValue(request, LimitsChange.class);
                limits.compute(id, (k, held) -> (held == null ? Limits.DEFAULTS : held).with(change));
                yield ok(view(id));
            }
            case "DELETE servers/{}" -> {
                here.remove(id);
                stopped.remove(id);
                limits.remove(id);
                yield new Object[] {204, null};
            }
            case "POST servers/{}/start", "POST servers/{}/restart" -> {
                stopped.remove(id);
                yield here.contains(id) ? ok(view(id)) : notFound(method, path);
            }
            case "POST servers/{}/stop" -> {
                stopped.add(id);
                yield here.contains(id) ? ok(view(id)) : notFound(method, path);
            }
            default -> new Object[] {501, Problem.of(501, "failed", "the stand-in agent does not do " + method + " " + p[4]
                    + (p.length > 6 ? "/" + p[6] : ""), null)};
        };
    }

    private static Object[] ok(Object body) {
        return new Object[] {200, body};
    }

    private static Object[] notFound(String method, String path) {
        return new Object[] {404, Problem.of(404, "not_found", "no such endpoint or server: " + method + " " + path, null)};
    }

    private ServerView view(String id) {
        boolean running = !stopped.contains(id);
        return new ServerView(id, "vs-" + id, "busybox", limits.getOrDefault(id, Limits.DEFAULTS),
                running ? ServerSpec.DesiredState.running : ServerSpec.DesiredState.stopped,
                running ? ServerState.running : ServerState.stopped, running ? 1000 : null,
                running ? Instant.ofEpochMilli(startMillis) : null, null, null, false, null, false);
    }

    private HostFacts facts(int host, Set<String> here) {
        int count = here.size(), running = (int) here.stream().filter(id -> !stopped.contains(id)).count();
        return new HostFacts("standin-" + host, "6.1.0-standin", "v2", true, 64, 262_144, 200_000, 4_194_304, 4_000_000,
                count, running, 256L * count, 1.0 * count, 1024L * count, 262_144 - 256L * count, 64 - count,
                4_194_304 - 1024L * count, true, null, 0, true, List.of(TEMPLATES), List.of(TEMPLATES), "standin-" + host);
    }

    /** Rounds after the given one, up to limit; round k was taken k sample intervals after this process started. */
    private List<SampleRound> samples(Set<String> here, String query) {
        long after = Long.parseLong(param(query, "after", "0"));
        int limit = (int) Math.min(Long.parseLong(param(query, "limit", "500")), 5000);
        long newest = (System.currentTimeMillis() - startMillis) / sampleMillis;
        List<SampleRound> rounds = new ArrayList<>();
        List<String> ids = List.copyOf(here);
        for (long k = Math.max(after + 1, Math.max(1, newest - ROUNDS_KEPT + 1)); k <= newest && rounds.size() < limit; k++) {
            List<SampleRound.ServerSample> samples = new ArrayList<>(ids.size());
            for (String id : ids) {
                samples.add(sample(id, k));
            }
            rounds.add(new SampleRound(k, startMillis + k * sampleMillis,
                    new SampleRound.HostSample(k * 6400, k * 64_000, 1.5, 8L << 30, 200L << 30, ids.size()), samples));
        }
        return rounds;
    }

    /** A server's counters at round k: steady rates that differ between servers (from its id), so the ledger has spread. */
    private SampleRound.ServerSample sample(String id, long k) {
        int h = Math.floorMod(id.hashCode(), 100);
        long seconds = k * sampleMillis / 1000;
        boolean running = !stopped.contains(id);
        return new SampleRound.ServerSample(id, running, epoch, seconds * h * 10_000_000L, (64L + h) << 20, (96L + h) << 20, 5 + h % 7,
                0, seconds * h * 1000L, 0, (200L + h) << 20, seconds * h, 0, seconds * h / 2, seconds * h * 1000L, seconds * h * 400L);
    }

    private static String param(String query, String name, String otherwise) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return otherwise;
    }
}
