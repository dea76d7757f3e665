package io.corral.panel.host;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls host agents. A failure becomes an {@link AgentException} carrying the agent's own message
 * (its problem detail), or saying that the agent could not be reached.
 */
@ApplicationScoped
public class AgentClient {
    private final Map<String, AgentApi> clients = new ConcurrentHashMap<>();

    public <T> T call(Host host, Function<Call, T> request) {
        AgentApi api = clients.computeIfAbsent(host.agentUrl, url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(120, TimeUnit.SECONDS)
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
            throw new AgentException(0, "host " + host.name + " (" + host.agentUrl + ") cannot be reached: "
                    + rootMessage(e));
        }
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
