package io.corral.panel.apiclient;

import io.corral.panel.identity.TenantClients;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a token of a tenant's API client unless the panel's record has the client unrevoked and its tenant
 * active: Keycloak stops issuing tokens to a revoked client, but those it issued stay valid until they expire,
 * and OIDC checks them locally. Asked when a token is first verified; a token the panel has remembered
 * (VerifiedBearerTokens, the last augmentor, after this one) is forgotten when its client is revoked.
 */
@ApplicationScoped
public class ApiClientTokens implements SecurityIdentityAugmentor {
    private static final String ACTIVE = """
            select 1 from api_client a join tenant t on t.id = a.tenant_id
            where a.client_id = ? and a.revoked_at is null and t.status = 'active'""";

    @Inject
    DataSource db;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        String client = identity.getPrincipal() instanceof JsonWebToken token ? TenantClients.clientOf(token) : null;
        if (client == null || !client.startsWith(TenantClients.PREFIX)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            if (!active(client)) {
                throw new AuthenticationFailedException("API client " + client + " is revoked or its tenant is not active");
            }
            return identity;
        });
    }

    private boolean active(String clientId) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(ACTIVE)) {
            q.setString(1, clientId);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new AuthenticationFailedException("could not check API client " + clientId + ": " + e.getMessage(), e);
        }
    }
}
