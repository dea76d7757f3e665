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
    private final HttpClient http;
    private final URI base;
    private final String authorization;

    public TransferClient(URI to, String fingerprint, String token, String serverId) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                .sslContext(PinnedCertificate.context(fingerprint)).build();
        this.base = to.resolve("/v1/incoming/" + serverId + "/");
        this.authorization = "Bearer " + token;
    }

    public void block(long offset, byte[] data, int length) {
        send(HttpRequest.newBuilder(base.resolve("blocks/" + offset)).timeout(BLOCK)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, length)), "block at " + offset);
    }

    public void commit(CommitRequest request) {
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
            response = http.send(request.header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw AgentException.failed("move: the receiving agent at " + base.getAuthority() + " did not take the " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("move: interrupted sending the " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw AgentException.failed("move: the receiving agent at " + base.getAuthority() + " refused the " + what + " ("
                    + response.statusCode() + "): " + (body.length() > 500 ? body.substring(0, 500) : body), null);
        }
    }
}
