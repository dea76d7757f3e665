package io.corral.panel.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One exchange with an agent over HTTPS, bounded as an answer from a host that may have been taken over needs: the
 * panel trusts only the certificate pinned for it, holds at most the bytes the call allows of its answer, and waits for
 * the whole answer at most the call's time; past either, the connection is reset, not drained. Plain Vert.x rather than
 * a REST client: that one buffered any answer whole before a filter could see it (a multipart answer on the event loop,
 * an error for its exception mapper), and follows settings meant for other clients (compression, logging of bodies).
 * A connection whose answer ended serves the next call.
 */
final class AgentHttp {
    /** How long an idle connection to an agent is kept (the agent keeps its own 30 s longer: host-agent/README.md). */
    static final Duration IDLE_CONNECTION = Duration.ofMinutes(5);
    /** How often a client's pool is searched for connections past their time. */
    private static final Duration POOL_CLEANER_PERIOD = Duration.ofSeconds(10);
    /** Connections to one agent at once, in each lane; more calls wait for one, within their time. */
    private static final int CONNECTIONS = 20;
    private final Vertx vertx;
    private final long dropping;
    /**
     * The most of one agent's answers read at once in each lane: each answer is bounded, but twenty at once (execs of a
     * host's servers) could hold 320 MiB. Twice the largest answer a call takes, so that one always has room; per pool,
     * so that an agent taken over fills only its own, never another host's heartbeats'.
     */
    static final long POOL_BYTES = 64 << 20;
    private final long poolBytes;
    /** By agent url, pinned certificate and lane: a host deleted, moved or pinned anew leaves its pool unused. */
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    /**
     * A client with its pool, and its calls in flight, changed only in the map's compute, under its key's lock; and the
     * bytes of its answers being read now.
     */
    private static final class Pool {
        final HttpClient client;
        final AtomicLong reading = new AtomicLong();
        int calls;
        long lastUsed = System.nanoTime();

        Pool(HttpClient client) {
            this.client = client;
        }
    }

    AgentHttp(Vertx vertx) {
        this(vertx, POOL_BYTES);
    }

    /** poolBytes: the most of one agent's answers read at once in each lane. */
    AgentHttp(Vertx vertx, long poolBytes) {
        this.vertx = vertx;
        this.poolBytes = poolBytes;
        dropping = vertx.setPeriodic(IDLE_CONNECTION.toMillis(), timer -> dropUnused(IDLE_CONNECTION));
    }

    /**
     * Stops dropping unused pools and closes those no call uses now. One with calls in flight is left to Vert.x, which
     * closes its clients when it stops: a call cut off here would fail an operation the next panel would have retried.
     */
    void close() {
        vertx.cancelTimer(dropping);
        dropUnused(Duration.ZERO);
    }

    /**
     * Closes the pools no call has used for that long (their connections have expired too), so that the pools the
     * panel keeps are those of the hosts it calls, not every address and certificate any host ever had.
     */
    void dropUnused(Duration unusedFor) {
        long now = System.nanoTime();
        for (String key : pools.keySet()) {
            Pool[] dropped = new Pool[1];
            pools.computeIfPresent(key, (k, p) -> {
                if (p.calls > 0 || now - p.lastUsed < unusedFor.toNanos()) {
                    return p;
                }
                dropped[0] = p;
                return null;
            });
            if (dropped[0] != null) {
                dropped[0].client.close();
            }
        }
    }

    /** How many pools the panel keeps. */
    int pools() {
        return pools.size();
    }

    /** The bytes of answers being read now, in all pools. */
    long reading() {
        return pools.values().stream().mapToLong(p -> p.reading.get()).sum();
    }

    /**
     * Which of an agent's connection pools a call takes: the calls that keep the host's state (heartbeats, metering, the
     * worker's short calls) never wait behind long ones (execs a customer may hold for minutes, a move's copy, a
     * template's build).
     */
    enum Lane { SHORT, LONG }

    /** What the agent answered: its status and its body whole. */
    record Answer(int status, Buffer body) {
    }

    /** No room to read the rest of an answer: the host's other answers being read in its lane hold it all. */
    static final class NoRoom extends IOException {
        NoRoom(long poolBytes) {
            super("the panel is reading " + size(poolBytes) + " of its answers already");
        }
    }

    /** An answer longer than the call allows. */
    static final class TooLong extends IOException {
        TooLong(int maxBytes) {
            super("an answer longer than " + size(maxBytes));
        }
    }

    /**
     * Sends the request (body: JSON, or null for none) and waits for the whole answer, at most time and at most maxBytes
     * of it, and no more than there is room for in its pool ({@link #POOL_BYTES}); then takes what it carries (take: the
     * caller's parsing), its bytes still counted in the pool's, as parsing holds them and more. Fails with {@link TooLong},
     * {@link NoRoom}, {@link TimeoutException}, or what the connection failed with (a certificate other than the pinned one
     * among its causes); what take throws passes through.
     */
    <T> T exchange(Agent agent, Lane lane, HttpMethod method, String path, Buffer body, Duration time, int maxBytes,
                   Function<Answer, T> take) throws IOException, TimeoutException, InterruptedException {
        String key = agent.url() + " " + agent.fingerprint() + " " + lane;
        Pool pool = pools.compute(key, (k, p) -> {
            Pool used = p != null ? p : new Pool(client(agent.fingerprint()));
            used.calls++;
            return used;
        });
        try {
            return exchange(pool.client, agent, method, path, body, time, maxBytes, pool.reading, take);
        } finally {
            pools.computeIfPresent(key, (k, p) -> {
                p.calls--;
                p.lastUsed = System.nanoTime();
                return p;
            });
        }
    }

    private <T> T exchange(HttpClient client, Agent agent, HttpMethod method, String path, Buffer body, Duration time, int maxBytes,
                           AtomicLong reading, Function<Answer, T> take) throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<Answer> answered = new CompletableFuture<>();
        // this call's bytes counted in its pool's, given back when it ends; -1 after that
        AtomicLong mine = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        CompletableFuture<Runnable> reset = new CompletableFuture<>();
        // the wait for a connection of the pool counts against the call's time too
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(agent.url() + path)
                .setConnectTimeout(time.toMillis())
                .putHeader("Authorization", "Bearer " + agent.secret()).putHeader("Accept", "application/json");
        client.request(options).onFailure(answered::completeExceptionally).onSuccess(request -> {
            if (answered.isDone()) { // given a connection after its caller stopped waiting: never sent
                request.reset();
                return;
            }
            // asked on this call's event loop after any end it has seen: once ended, the connection may serve another
            // call, which a reset would end too (one coming in the same instant as the end may still close it)
            Context context = Vertx.currentContext();
            reset.complete(() -> context.runOnContext(now -> {
                if (!ended.get()) {
                    request.reset();
                }
            }));
            request.response().onFailure(answered::completeExceptionally).onSuccess(response -> {
                Buffer read = Buffer.buffer();
                response.exceptionHandler(answered::completeExceptionally);
                response.handler(chunk -> {
                    if (answered.isDone()) {
                        return;
                    }
                    if (read.length() + chunk.length() > maxBytes) {
                        answered.completeExceptionally(new TooLong(maxBytes)); // first: the reset fails the response too
                        request.reset();
                    } else if (!counted(reading, mine, chunk.length())) {
                        if (answered.completeExceptionally(new NoRoom(poolBytes))) { // not one that ended meanwhile
                            request.reset();
                        }
                    } else {
                        read.appendBuffer(chunk);
                    }
                });
                // answered once this event is done, when its connection is back in the pool for the caller's next call
                response.endHandler(end -> {
                    ended.set(true);
                    Vertx.currentContext().runOnContext(next -> answered.complete(new Answer(response.statusCode(), read)));
                });
            });
            if (body == null) {
                request.end();
            } else {
                request.putHeader("Content-Type", "application/json").end(body);
            }
        });
        try {
            return take.apply(answered.get(time.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            if (!answered.isDone()) { // out of time, or interrupted: its connection serves no other call
                answered.cancel(false);
                reset.thenAccept(Runnable::run);
            }
            reading.addAndGet(-Math.max(0, mine.getAndSet(-1)));
        }
    }

    /**
     * Counts bytes more of the call's answer in its pool's, if there is room and the call has not ended; a chunk is
     * counted in the call's (and given back when it ends) or not at all.
     */
    private boolean counted(AtomicLong reading, AtomicLong mine, int bytes) {
        if (reading.addAndGet(bytes) > poolBytes) {
            reading.addAndGet(-bytes);
            return false;
        }
        for (long m = mine.get(); ; m = mine.get()) {
            if (m < 0) {
                reading.addAndGet(-bytes);
                return false;
            }
            if (mine.compareAndSet(m, m + bytes)) {
                return true;
            }
        }
    }

    private HttpClient client(String fingerprint) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustOptions(TrustOptions.wrap(new CertificatePin(fingerprint)))
                .setVerifyHost(false) // the pin replaces both an authority and a name check
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setConnectTimeout(5_000)
                // connections kept for minutes, not Vert.x's 60 s: a panel that visits a host less often (two panels
                // sharing 5,000 hosts, a round running late) paid a TLS handshake each visit and fell further behind
                // (bench/RESULTS.md, "Scale")
                .setKeepAliveTimeout((int) IDLE_CONNECTION.toSeconds());
        // each client checks its pool for expired connections on a timer of its own, every second by default: at 5,000
        // hosts that was a fifth of a panel's CPU (bench/RESULTS.md, "Scale"). The agent keeps an idle connection 30 s
        // longer than the panel, so one expiring up to 10 s late is still the agent's to take.
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(CONNECTIONS)
                .setCleanerPeriod((int) POOL_CLEANER_PERIOD.toMillis()));
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
