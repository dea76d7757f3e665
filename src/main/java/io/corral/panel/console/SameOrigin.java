package io.corral.panel.console;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * A WebSocket is not held to the same-origin policy, and the browser sends the panel's session
 * cookie with it from any page: so a console opens only from a page of the panel itself, its Origin
 * naming the host the upgrade was sent to. Without this a site a customer visits could open their
 * server's console (cross-site WebSocket hijacking).
 */
@ApplicationScoped
public class SameOrigin implements HttpUpgradeCheck {
    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        String host = request.getHeader("Host");
        return origin != null && host != null && sameHost(origin, host) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(403);
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return endpointId.equals(ConsoleSocket.class.getName());
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
