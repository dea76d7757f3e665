package io.corral.agent.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.console.ConsoleServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The agent's HTTP+JSON API under /v1 over HTTPS only (TLS 1.3, the host's own certificate, which
 * the panel pins), the panel being its only client. Every request must carry the host's secret as a
 * bearer token; without it nothing is done and the answer is 401.
 */
public final class ApiServer {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    private static final int MAX_BODY = 1 << 20;
    /**
     * A move's commit names every block that holds data (about 95 bytes each): 48 MiB is half a million blocks, a disk
     * of 480 GiB of data.
     */
    private static final int MAX_COMMIT_BODY = 48 << 20;
    /** Requests of moves (blocks, commits) handled at once: each holds up to a block, or a commit's list, in memory. */
    private static final int MAX_TRANSFERS = 8;
    private static final java.util.concurrent.Semaphore TRANSFERS = new java.util.concurrent.Semaphore(MAX_TRANSFERS);
    /**
     * Seconds a client has to deliver its request (TLS handshake, headers, body) before its
     * connection is closed: a worker reads it, so a client trickling bytes would hold that worker.
     */
    static final int MAX_REQUEST_SECONDS = 10;
    /** Connections at once, so slow clients cannot make the agent spend a thread each without bound. */
    static final int MAX_CONNECTIONS = 1000;
    /** How long an idle connection is kept: longer than a panel keeps its own (5 minutes). */
    static final int IDLE_SECONDS = 330;
    private final HttpsServer http;
    private final ExecutorService workers;
    private final AgentCertificate certificate;
    private final AgentSecret secret;
    private final ConsoleServer consoles;

    private ApiServer(HttpsServer http, ExecutorService workers, AgentCertificate certificate, AgentSecret secret, ConsoleServer consoles) {
        this.http = http;
        this.consoles = consoles;
        this.workers = workers;
        this.certificate = certificate;
        this.secret = secret;
    }

    /** console: the console sessions' listener, whose tickets the API hands out. */
    public static ApiServer start(Agent agent, String address, int port, Console console) throws IOException {
        configureJdkServer();
        AgentSecret secret = AgentSecret.load(agent.state());
        AgentCertificate certificate = AgentCertificate.loadOrCreate(agent.state());
        HttpsServer http = HttpsServer.create(new InetSocketAddress(address, port), 64);
        ConsoleServer consoles = ConsoleServer.start(agent.servers(), certificate.serverContext(), address, console.port(), console.perServer());
        Routes routes = new Routes(agent, http.getAddress().getPort(), consoles);
        http.setHttpsConfigurator(certificate.httpsConfigurator());
        // A thread for each request being read or answered (at most MAX_CONNECTIONS), so requests
        // still being delivered never keep another one waiting for a worker.
        ExecutorService workers = Executors.newCachedThreadPool();
        http.setExecutor(workers);
        http.createContext("/", exchange -> handle(exchange, secret, routes));
        http.start();
        return new ApiServer(http, workers, certificate, secret, consoles);
    }

    /**
     * The JDK server's settings, read once, before the first server is made (the stand-in agent of the scale benchmark
     * answers with the same).
     */
    public static void configureJdkServer() {
        // Answers are small and written as headers then body: without TCP_NODELAY, Nagle's algorithm
        // holds the body back until the client's delayed ACK, some 40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // An idle connection is kept longer than the panel keeps it, so it is the panel that closes it, never the agent
        // under a request being sent; and a panel that comes back within minutes reuses it, where at the JDK's 30 s each
        // visit after a longer pause cost a TLS handshake (bench/RESULTS.md, "Scale").
        System.setProperty("sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS));
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        // The answer's time counts from the end of the request and so includes the call's own work (an
        // exec may run an hour): this bound only ends answers a client does not read.
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(2 * 3600));
        System.setProperty("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    /** The console's listener: its port (0: any free one) and the sessions a server may hold at once. */
    public record Console(int port, int perServer) {
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public int consolePort() {
        return consoles.port();
    }

    /** The SHA-256 fingerprint of the certificate it presents. */
    public String fingerprint() {
        return certificate.fingerprint();
    }

    /** Where the host's secret came from. */
    public String secretSource() {
        return secret.source();
    }

    public void stop() throws IOException {
        consoles.stop();
        http.stop(0);
        workers.shutdownNow();
    }

    private static void handle(HttpExchange exchange, AgentSecret secret, Routes routes) throws IOException {
        try (exchange) {
            int status;
            Object body;
            boolean bodyRead = false;
            try {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                String path = exchange.getRequestURI().getPath();
                // a move's blocks and commit come from the sending agent with the move's token, checked by the route
                boolean transfer = Routes.TRANSFER.matcher(path).matches();
                if (!transfer && !secret.matches(authorization)) {
                    throw new AgentException(AgentException.Kind.UNAUTHORIZED, "missing or wrong host secret (Authorization: Bearer <secret>)");
                }
                Routes.Response response;
                if (transfer) {
                    // the token checked before a byte of the body is read, and only so many at once
                    routes.authorizeTransfer(path, authorization);
                    if (!TRANSFERS.tryAcquire()) {
                        throw AgentException.tooMany("the host takes " + MAX_TRANSFERS + " requests of moves at once; try again");
                    }
                    try {
                        byte[] request = readBody(exchange.getRequestBody(), path.endsWith("/commit") ? MAX_COMMIT_BODY : MAX_BODY);
                        bodyRead = true;
                        response = routes.transfer(exchange.getRequestMethod(), path, authorization, request);
                    } finally {
                        TRANSFERS.release();
                    }
                } else {
                    // read whole before any work: until then the request counts against MAX_REQUEST_SECONDS
                    byte[] request = readBody(exchange.getRequestBody(), MAX_BODY);
                    bodyRead = true;
                    response = routes.route(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(), request);
                }
                status = response.status();
                // to a tree here, so that a body that cannot be written is a 500 answer, not a dropped connection
                body = response.body() == null ? null : Json.MAPPER.valueToTree(response.body());
            } catch (AgentException e) {
                status = e.kind().status;
                body = Problem.of(status, e.kind().name().toLowerCase(), e.getMessage(), e.field());
                if (status >= 500) {
                    LOG.log(Level.WARNING, e.getMessage(), e.getCause());
                }
            } catch (JsonMappingException e) {
                String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
                status = 400;
                body = Problem.of(400, "invalid", (field.isEmpty() ? "body" : field) + ": " + e.getOriginalMessage(), field);
            } catch (JsonProcessingException e) {
                status = 400;
                body = Problem.of(400, "invalid", "body: not valid JSON: " + e.getOriginalMessage(), "body");
            } catch (Exception | Error e) {
                LOG.log(Level.WARNING, "request failed: " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
                status = 500;
                body = Problem.of(500, "failed", String.valueOf(e.getMessage()), null);
            }
            if (!bodyRead) {
                // refused before its body was read: the connection cannot carry another request, and the client must know
                exchange.getResponseHeaders().set("Connection", "close");
            }
            send(exchange, status, body);
        }
    }

    private static byte[] readBody(InputStream in, int most) throws IOException {
        byte[] bytes = in.readNBytes(most + 1);
        if (bytes.length > most) {
            throw AgentException.invalid("body", "larger than " + most + " bytes");
        }
        return bytes;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", body instanceof Problem ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
