package io.corral.panel.tenant;

/** Fired in the transaction that deletes a tenant, before its users leave Keycloak: what it still keeps goes with it. */
public record TenantDeleted(long tenantId, String slug) {
}
