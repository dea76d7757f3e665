package io.corral.panel.tenant;

import java.time.OffsetDateTime;

public record TenantView(long id, String name, String slug, long planId, String planName, Tenant.Status status,
                         OffsetDateTime createdAt) {
    public static TenantView of(Tenant t) {
        return new TenantView(t.id, t.name, t.slug, t.plan.id, t.plan.name, t.status, t.createdAt);
    }
}
