package io.corral.agent.move;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.PinnedCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The sending agent's connection to the receiving one: blocks, then the commit, with the move's token. */
public final class TransferClient {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    /** A block is 1 MiB: a minute for one is a link of under 20 kB/s, a broken one. */
    private static final Duration BLOCK = Duration.ofMinutes(1);
    /** The receiver checks every block and moves the owners of every file before it answers. */
    private static final Duration COMMIT = Duration.ofMinutes(30);
    /** Blocks on their way at once: enough to keep a link busy while the next is read and summed. */
    static final int IN_FLIGHT = 4;
    private final HttpClient http;
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
    private final java.util.concurrent.atomic.AtomicReference<AgentException> failed = new java.util.concurrent.atomic.AtomicReference<>();
    private final URI base;
    private final String authorization;

    public TransferClient(URI to, String fingerprint, String token, String serverId) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                .sslContext(PinnedCertificate.context(fingerprint)).build();
        this.base = to.resolve("/v1/incoming/" + serverId + "/");
        this.authorization = "Bearer " + token;
    }

    /**
     * Sends a block, with at most {@link #IN_FLIGHT} on their way at once (the data is copied: the caller's buffer is
     * free again when this returns); a block refused or lost fails the next call, or {@link #drain}.
     */
    public void block(long offset, byte[] data, int length) {
        failIfAnyFailed();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("move: interrupted sending the block at " + offset, e);
        }
        byte[] copy = java.util.Arrays.copyOf(data, length);
        http.sendAsync(request(HttpRequest.newBuilder(base.resolve("blocks/" + offset)).timeout(BLOCK)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(copy))), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    try {
                        if (error != null) {
                            failed.compareAndSet(null, unreached("block at " + offset, error));
                        } else if (response.statusCode() / 100 != 2) {
                            failed.compareAndSet(null, refused("block at " + offset, response));
                        }
                    } finally {
                        inFlight.release();
                    }
                });
    }

    /** Waits for every block on its way; fails if any was refused or lost. */
    public void drain() {
        try {
            inFlight.acquire(IN_FLIGHT);
            inFlight.release(IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("move: interrupted waiting for the blocks on their way", e);
        }
        failIfAnyFailed();
    }

    private void failIfAnyFailed() {
        AgentException e = failed.get();
        if (e != null) {
            throw e;
        }
    }

    /** The commit, once every block is there. */
    public void commit(CommitRequest request) {
        drain();
        try {
            commitOnce(request);
        } catch (AgentException e) {
            // no answer: the receiver may have committed, and only it can say
            throw e.kind() == AgentException.Kind.FAILED && e.getCause() != null
                    ? new AgentException(AgentException.Kind.OUTCOME_UNKNOWN, "move: the commit's answer never came, so whether the receiving"
                    + " agent committed is not known; the server stays stopped here: " + e.getMessage()) : e;
        }
    }

    private void commitOnce(CommitRequest request) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(HttpRequest.newBuilder(base.resolve("commit")).timeout(COMMIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "commit");
    }

    private void send(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request(request), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreached(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("move: interrupted sending the " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw refused(what, response);
        }
    }

    private HttpRequest request(HttpRequest.Builder request) {
        return request.header("Authorization", authorization).build();
    }

    private AgentException unreached(String what, Throwable e) {
        return AgentException.failed("move: the receiving agent at " + base.getAuthority() + " did not take the " + what + ": " + e, e);
    }

    private AgentException refused(String what, HttpResponse<String> response) {
        String body = response.body();
        return AgentException.failed("move: the receiving agent at " + base.getAuthority() + " refused the " + what + " ("
                + response.statusCode() + "): " + (body.length() > 500 ? body.substring(0, 500) : body), null);
    }
}
