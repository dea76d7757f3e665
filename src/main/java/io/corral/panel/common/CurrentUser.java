package io.corral.panel.common;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking, from the validated token only (roles from realm_access, the tenant from the claim
 * "tenant"): admins see everything; a customer belongs to one tenant, never taken from a request.
 */
@RequestScoped
public class CurrentUser {
    /** The realm roles of src/main/keycloak/corral-realm.json. */
    public static final String ADMIN = "admin", CUSTOMER = "customer", TENANT_OWNER = "tenant-owner", BILLING = "billing";
    /** Keycloak's group membership mapper puts the tenant's group path, /tenants/<slug>, into this claim. */
    static final String TENANT_CLAIM = "tenant", TENANT_GROUP = "/tenants/";

    @Inject
    SecurityIdentity identity;

    public String name() {
        if (identity.isAnonymous()) {
            return "anonymous";
        }
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getClaim("preferred_username") != null) {
            return token.getClaim("preferred_username").toString();
        }
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }

    /** A billing system (or its people): usage exports of every tenant. */
    public boolean isBilling() {
        return identity.hasRole(BILLING);
    }

    /** A customer who may also invite users of their tenant. */
    public boolean isTenantOwner() {
        return identity.hasRole(TENANT_OWNER);
    }

    /** Who the caller is to Keycloak, for what is kept for them (their language); empty for the anonymous. */
    public Optional<String> subject() {
        return identity.getPrincipal() instanceof JsonWebToken token ? Optional.ofNullable(token.getSubject()) : Optional.empty();
    }

    /**
     * The slug of the caller's tenant, if the caller is a customer of exactly one; membership of two
     * tenant groups is a misconfiguration and counts as none, so nothing is shown rather than the wrong one.
     */
    public Optional<String> tenantSlug() {
        return identity.getPrincipal() instanceof JsonWebToken token ? tenantSlugOf(token) : Optional.empty();
    }

    /**
     * The slug of the caller's tenant; a customer without one is refused. From the identity alone: no
     * transaction (a list of servers asked for one per request only to read this).
     */
    public String myTenantSlug() {
        return tenantSlug().orElseThrow(() -> new DomainException(DomainException.Kind.FORBIDDEN, null, Refusals::tenant_none_yours));
    }

    /** The tenant a token names, by the rule of {@link #tenantSlug()}. */
    public static Optional<String> tenantSlugOf(JsonWebToken token) {
        if (!(token.getClaim(TENANT_CLAIM) instanceof Collection<?> groups)) {
            return Optional.empty();
        }
        List<String> slugs = groups.stream().map(g -> g instanceof JsonString s ? s.getString() : String.valueOf(g))
                .filter(g -> g.startsWith(TENANT_GROUP)).map(g -> g.substring(TENANT_GROUP.length()))
                .filter(s -> !s.isEmpty() && !s.contains("/")).toList();
        return slugs.size() == 1 ? Optional.of(slugs.get(0)) : Optional.empty();
    }
}
