package io.corral.panel.console;

import io.corral.panel.agent.Agent;
import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentConsole;
import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Opens and closes console sessions: only on a server the caller may act on (their tenant's, while it
 * is active; any for an admin), through its host's agent; each session is one audit event, "opened"
 * until it closes, then who closed it, why and how long it lasted.
 */
@ApplicationScoped
public class ConsoleService {
    @Inject
    ServerService servers;
    @Inject
    AgentClient agents;
    @Inject
    Audit audit;
    @Inject
    CurrentUser user;
    @Inject
    SecurityIdentity identity;

    /** The server a console is for: its host's agent, its id there, its tenant, and whose place the session takes (null: an admin's). */
    record Target(long serverId, Agent agent, String agentId, long tenantId, Long place) {
    }

    /** The server, if the caller may open its console. */
    Target target(long serverId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            VirtualServer v = servers.managed(serverId);
            if (v.host == null) {
                throw DomainException.conflict(r -> r.console_no_host(serverId));
            }
            return new Target(serverId, v.host.agent(), v.agentId(), v.tenant.id, user.isAdmin() ? null : v.tenant.id);
        });
    }

    ConsoleSession open(Target target, WebSocketConnection browser) {
        long serverId = target.serverId();
        long event = audit.recordNow("server.console", "server/" + serverId, "opened");
        try {
            AgentConsole console = agents.console(target.agent(), target.agentId());
            return new ConsoleSession(browser, console, serverId, target.tenantId(), target.place(), user.name(),
                    identity.getPrincipal().getName(), event);
        } catch (RuntimeException e) {
            audit.complete(event, "refused: " + e.getMessage());
            throw e;
        }
    }

    void closed(ConsoleSession session, String reason) {
        Duration lasted = Duration.between(session.opened, java.time.Instant.now());
        audit.complete(session.auditEvent, "closed after " + lasted.toSeconds() + " s (opened " + session.opened + "): " + reason);
    }
}
