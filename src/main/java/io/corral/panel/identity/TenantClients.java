package io.corral.panel.identity;

import static io.corral.panel.identity.KeycloakCalls.call;
import static io.corral.panel.identity.KeycloakCalls.undo;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A tenant's API clients in Keycloak: confidential clients with the client credentials grant only, whose service
 * account is a member of the tenant's group, so their tokens carry the tenant and the role customer as a
 * customer's do, and nothing more (not tenant-owner: a script cannot make further clients). Their tokens are for
 * the panel's audience, as corral-billing's are.
 */
@ApplicationScoped
public class TenantClients {
    /** The client ids the panel gives, corral-api-SLUG-RANDOM; tokens whose azp has it are checked against the panel's record. */
    public static final String PREFIX = "corral-api-";
    private static final String SERVICE_ACCOUNT = "service-account-";

    @Inject
    Keycloak keycloak;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.realm")
    String realmName;

    /** Makes the client in the tenant's group and returns its secret, which the panel shows once and keeps nowhere. */
    public String create(String slug, String clientId, String name) {
        return call(Refusals::keycloak_create_client, () -> {
            RealmResource realm = keycloak.realm(realmName);
            GroupRepresentation group = TenantDirectory.group(realm, slug).orElseThrow(() -> DomainException.conflict(
                    r -> r.keycloak_group_missing(TenantDirectory.TENANTS + slug)));
            try {
                String id;
                try (Response created = realm.clients().create(client(slug, clientId, name))) {
                    id = CreatedResponseUtil.getCreatedId(created);
                }
                UserRepresentation account = realm.clients().get(id).getServiceAccountUser();
                realm.users().get(account.getId()).joinGroup(group.getId());
                return realm.clients().get(id).getSecret().getValue();
            } catch (RuntimeException e) {
                // by its id, known before the call: also when Keycloak made it but its answer was lost
                undo("API client " + clientId, () -> delete(realm, clientId));
                throw e;
            }
        });
    }

    /** Removes the client and its service account: Keycloak issues it no further token. Gone already counts as done. */
    public void delete(String clientId) {
        call(Refusals::keycloak_revoke_client, () -> {
            delete(keycloak.realm(realmName), clientId);
            return null;
        });
    }

    static void delete(RealmResource realm, String clientId) {
        realm.clients().findByClientId(clientId).forEach(c -> realm.clients().get(c.getId()).remove());
    }

    /** The API client whose service account the user is; empty for a person. */
    static Optional<String> clientOf(UserRepresentation user) {
        String name = user.getUsername();
        return name != null && name.startsWith(SERVICE_ACCOUNT + PREFIX) ? Optional.of(name.substring(SERVICE_ACCOUNT.length()))
                : Optional.empty();
    }

    /** The client a token was issued to (its azp claim), or null. */
    public static String clientOf(JsonWebToken token) {
        Object azp = token.getClaim("azp");
        return azp instanceof JsonString s ? s.getString() : azp == null ? null : azp.toString();
    }

    private static ClientRepresentation client(String slug, String clientId, String name) {
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId(clientId);
        c.setName(name);
        c.setDescription("API client of tenant " + slug + ", made and revoked by the Corral panel");
        c.setProtocol("openid-connect");
        c.setPublicClient(false);
        c.setServiceAccountsEnabled(true);
        c.setStandardFlowEnabled(false);
        c.setImplicitFlowEnabled(false);
        c.setDirectAccessGrantsEnabled(false);
        c.setProtocolMappers(List.of(
                mapper("panel audience", "oidc-audience-mapper", Map.of("included.client.audience", "corral-panel",
                        "access.token.claim", "true", "id.token.claim", "false")),
                mapper("tenant", "oidc-group-membership-mapper", Map.of("claim.name", "tenant", "full.path", "true",
                        "access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false"))));
        return c;
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName(name);
        m.setProtocol("openid-connect");
        m.setProtocolMapper(type);
        m.setConfig(config);
        return m;
    }
}
