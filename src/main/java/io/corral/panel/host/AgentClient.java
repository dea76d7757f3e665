package io.corral.panel.host;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls host agents over HTTPS, trusting only the certificate pinned for each host. A failure
 * becomes an {@link AgentException} carrying the agent's own message (its problem detail), or
 * saying that the agent could not be reached or presented another certificate.
 */
@ApplicationScoped
public class AgentClient {
    /** How long an ordinary call may take to answer: a stop waits out the server's grace, a create makes its disk. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private final Map<String, AgentApi> clients = new ConcurrentHashMap<>();

    public <T> T call(Host host, Function<Call, T> request) {
        return call(host, READ_TIMEOUT, request);
    }

    /** A call that may take longer than an ordinary one to answer (an exec waits for its command). */
    public <T> T call(Host host, Duration readTimeout, Function<Call, T> request) {
        if (host.tlsFingerprint == null) {
            throw new AgentException(0, "host " + host.name + " has no pinned certificate yet: its next heartbeat pins the one its agent presents");
        }
        AgentApi api = clients.computeIfAbsent(host.agentUrl + " " + host.tlsFingerprint + " " + readTimeout.toSeconds(),
                key -> QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(host.agentUrl))
                        .tlsConfiguration(CertificatePin.tlsConfiguration(host.tlsFingerprint))
                        .connectTimeout(5, TimeUnit.SECONDS)
                        .readTimeout(readTimeout.toSeconds(), TimeUnit.SECONDS)
                        .build(AgentApi.class));
        try {
            return request.apply(new Call(api, "Bearer " + host.secret));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String detail;
            try {
                detail = e.getResponse().readEntity(AgentDtos.Problem.class).detail();
            } catch (RuntimeException unreadable) {
                detail = "HTTP " + status;
            }
            throw new AgentException(status, "host " + host.name + ": " + detail);
        } catch (ProcessingException e) {
            String where = "host " + host.name + " (" + host.agentUrl + ")";
            throw new AgentException(0, mismatch(e).map(m -> where + " refused: " + m.getMessage())
                    .orElseGet(() -> where + " cannot be reached: " + rootMessage(e)));
        }
    }

    private static Optional<CertificatePin.Mismatch> mismatch(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof CertificatePin.Mismatch m) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** One call's API and credentials. */
    public record Call(AgentApi api, String auth) {
    }
}
