package io.corral.panel.apiclient;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Rollbacks;
import io.corral.panel.identity.TenantClients;
import io.corral.panel.identity.VerifiedBearerTokens;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A tenant's API clients, made and revoked by its owner or an admin: the row first, then Keycloak's client; a
 * Keycloak failure rolls the row back, and a commit that fails afterwards removes the client again.
 */
@ApplicationScoped
@Transactional
public class ApiClientService {
    /** Bounds what one tenant makes Keycloak keep. */
    static final int MAX_PER_TENANT = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    TenantService tenants;
    @Inject
    TenantClients clients;
    @Inject
    VerifiedBearerTokens verified;
    @Inject
    Rollbacks rollbacks;
    @Inject
    Audit audit;
    @Inject
    CurrentUser user;
    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realmUrl;

    public List<ApiClientView> list(long tenantId) {
        Tenant t = tenants.managedByCaller(tenantId);
        return ApiClient.<ApiClient>list("tenant.id = ?1 and revokedAt is null order by createdAt, id", t.id).stream()
                .map(ApiClientView::of).toList();
    }

    public NewApiClient create(long tenantId, ApiClientRequest request) {
        Tenant t = tenants.managedByCaller(tenantId);
        Tenant.getEntityManager().refresh(t, LockModeType.PESSIMISTIC_WRITE); // counted one at a time, its status as it is now
        if (t.status != Tenant.Status.active) {
            throw DomainException.conflict(r -> r.apiclient_tenant_inactive(t.slug, t.status.toString()));
        }
        if (ApiClient.count("tenant.id = ?1 and revokedAt is null", t.id) >= MAX_PER_TENANT) {
            throw new DomainException(DomainException.Kind.TOO_MANY, null, r -> r.apiclient_too_many(t.slug, MAX_PER_TENANT));
        }
        ApiClient c = new ApiClient();
        c.tenant = t;
        c.clientId = TenantClients.PREFIX + t.slug + "-" + HexFormat.of().formatHex(random());
        c.name = request.name().strip();
        c.createdBy = user.name();
        c.createdAt = OffsetDateTime.now();
        c.persistAndFlush();
        String secret = clients.create(t.slug, c.clientId, c.name);
        rollbacks.onRollback(() -> clients.delete(c.clientId));
        audit.record("apiclient.create", "tenant/" + t.slug, c.clientId + " (" + c.name + ")");
        return new NewApiClient(ApiClientView.of(c), secret, realmUrl + "/protocol/openid-connect/token");
    }

    /**
     * Keycloak issues the client no further token, and the panel refuses those it issued already (ApiClientTokens);
     * this panel forgets at once those it had verified, another panel instance when they expire.
     */
    public void revoke(long tenantId, long id) {
        Tenant t = tenants.managedByCaller(tenantId);
        ApiClient c = ApiClient.<ApiClient>find("id = ?1 and tenant.id = ?2 and revokedAt is null", id, t.id).firstResultOptional()
                .orElseThrow(() -> DomainException.notFound(r -> r.apiclient_not_found(id, t.slug)));
        c.revokedAt = OffsetDateTime.now();
        ApiClient.flush();
        clients.delete(c.clientId); // cannot be undone, so last: a failure rolls the row back and a retry finishes
        // once the row says revoked: a token verified before then would otherwise be remembered again
        rollbacks.onCommit(() -> verified.forget(token -> c.clientId.equals(TenantClients.clientOf(token))));
        audit.record("apiclient.revoke", "tenant/" + t.slug, c.clientId + " (" + c.name + ")");
    }

    private static byte[] random() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
