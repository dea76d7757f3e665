package io.corral.panel.console;

import io.corral.panel.agent.AgentConsole;
import io.quarkus.websockets.next.WebSocketConnection;
import java.time.Instant;

/** One open console: the browser's connection, the agent's session it is relayed to, and who opened it for which server. */
final class ConsoleSession {
    final WebSocketConnection browser;
    final AgentConsole agent;
    final long serverId;
    final long tenantId;
    /** Whose place it holds: its tenant's, or null for an admin's ({@link ConsoleSessions#reserve}). */
    final Long place;
    final String user;
    /** The signed-in principal's name, as sign-out events carry it. */
    final String principal;
    final long auditEvent;
    final Instant opened = Instant.now();
    volatile Instant lastInput = opened;

    ConsoleSession(WebSocketConnection browser, AgentConsole agent, long serverId, long tenantId, Long place, String user, String principal,
                   long auditEvent) {
        this.browser = browser;
        this.agent = agent;
        this.serverId = serverId;
        this.tenantId = tenantId;
        this.place = place;
        this.user = user;
        this.principal = principal;
        this.auditEvent = auditEvent;
    }
}
