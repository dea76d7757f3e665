package io.corral.panel.common;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who is asking, from the signed-in identity only: admins see everything; a customer belongs to one
 * tenant, carried as the role "tenant:<slug>" (a Keycloak group maps to it), never taken from a
 * request parameter.
 */
@RequestScoped
public class CurrentUser {
    public static final String ADMIN = "admin", CUSTOMER = "customer";
    private static final String TENANT_ROLE = "tenant:";

    @Inject
    SecurityIdentity identity;

    public String name() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }

    /** The slug of the caller's tenant, if the caller is a customer of one. */
    public Optional<String> tenantSlug() {
        return identity.getRoles().stream().filter(r -> r.startsWith(TENANT_ROLE))
                .map(r -> r.substring(TENANT_ROLE.length())).findFirst();
    }
}
