package io.corral.panel.console;

import io.corral.panel.common.DomainException;
import io.corral.panel.tenant.Tenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.oidc.SecurityEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The console sessions this panel instance relays, by browser connection. Each has a thread that
 * passes the agent's output to the browser, one message at a time and only as fast as the browser
 * takes it (so nothing queues in the panel); the browser's input goes to the agent on the socket's own
 * callbacks. A session ends when either side closes, when it has had no input for the idle time, when
 * its user signs out or when its tenant is suspended.
 */
@ApplicationScoped
public class ConsoleSessions {
    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class.getName());
    private static final int BUFFER = 16384;
    private final Map<String, ConsoleSession> open = new ConcurrentHashMap<>();
    /** The places taken, in all and by tenant: a place is reserved before the agent is asked, so refusals there count too. */
    private int relayed;
    private final Map<Long, Integer> byTenant = new HashMap<>();
    private final ConsoleConfig config;
    @Inject
    ConsoleService consoles;

    ConsoleSessions(ConsoleConfig config) {
        this.config = config;
    }

    /**
     * A place for one more session on this panel instance, or a refusal naming the bound: a customer's counts against
     * their tenant's bound too (tenantId), an admin's (null) only against the instance's, so that a tenant holding all
     * of its places does not keep an admin out of its servers.
     */
    synchronized void reserve(Long tenantId) {
        if (tenantId != null && byTenant.getOrDefault(tenantId, 0) >= config.maxSessionsPerTenant()) {
            throw new DomainException(DomainException.Kind.TOO_MANY, null, r -> r.console_tenant_full(config.maxSessionsPerTenant()));
        }
        if (relayed >= config.maxSessions()) {
            throw new DomainException(DomainException.Kind.TOO_MANY, null, r -> r.console_panel_full(config.maxSessions()));
        }
        relayed++;
        if (tenantId != null) {
            byTenant.merge(tenantId, 1, Integer::sum);
        }
    }

    synchronized void unreserve(Long tenantId) {
        relayed--;
        if (tenantId != null) {
            byTenant.computeIfPresent(tenantId, (t, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Starts relaying the agent's output to the browser. */
    void start(ConsoleSession session) {
        open.put(session.browser.id(), session);
        Thread output = new Thread(() -> relayOutput(session), "console-output-" + session.serverId);
        output.setDaemon(true);
        output.start();
    }

    ConsoleSession of(String connection) {
        return open.get(connection);
    }

    private void relayOutput(ConsoleSession session) {
        byte[] buffer = new byte[BUFFER];
        String reason = "the session ended (the shell exited or the server stopped)";
        try {
            for (int n; (n = session.agent.read(buffer)) > 0; ) {
                session.browser.sendBinaryAndAwait(Buffer.buffer(java.util.Arrays.copyOf(buffer, n)));
            }
        } catch (IOException | RuntimeException e) {
            reason = session.browser.isOpen() ? "the host's agent went away: " + e.getMessage() : "closed by the browser";
        }
        end(session, reason);
    }

    /** Ends the session once, whoever asks first: the agent's side hung up, the browser told why and closed, the audit event completed. */
    void end(ConsoleSession session, String reason) {
        if (open.remove(session.browser.id(), session)) {
            session.agent.close();
            if (session.browser.isOpen()) {
                try {
                    session.browser.sendTextAndAwait("ended: " + reason);
                    session.browser.closeAndAwait(CloseReason.NORMAL);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "console: the browser went first", e);
                }
            }
            unreserve(session.place);
            consoles.closed(session, reason);
        }
    }

    /** Idle sessions and those of suspended tenants end. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (open.isEmpty()) {
            return;
        }
        Instant idleSince = Instant.now().minus(config.idle());
        for (ConsoleSession s : List.copyOf(open.values())) {
            if (s.lastInput.isBefore(idleSince)) {
                end(s, "no input for " + config.idle().toSeconds() + " s");
            }
        }
        Set<Long> tenants = open.values().stream().map(s -> s.tenantId).collect(Collectors.toSet());
        Set<Long> suspended = QuarkusTransaction.requiringNew().call(() -> Tenant.<Tenant>list("id in ?1 and status <> ?2", tenants,
                Tenant.Status.active).stream().map(t -> t.id).collect(Collectors.toSet()));
        for (ConsoleSession s : List.copyOf(open.values())) {
            if (suspended.contains(s.tenantId)) {
                end(s, "the tenant is suspended");
            }
        }
    }

    /** Signing out of the panel ends the user's consoles; on a worker, as the event comes on the event loop, which must not wait. */
    void signedOut(@Observes SecurityEvent event) {
        if (event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED && event.getSecurityIdentity() != null) {
            String user = event.getSecurityIdentity().getPrincipal().getName();
            for (ConsoleSession s : List.copyOf(open.values())) {
                if (s.principal.equals(user)) {
                    Infrastructure.getDefaultWorkerPool().execute(() -> end(s, "signed out"));
                }
            }
        }
    }
}
