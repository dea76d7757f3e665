package io.corral.panel.tenant;

import io.corral.panel.limits.Allocation;

/**
 * What a tenant's servers hold. Servers are kept by server/, which uses tenants, so tenants ask through
 * this and server/ answers (server/Allocations).
 */
public interface TenantServers {
    Allocation ofTenant(long tenantId);
}
