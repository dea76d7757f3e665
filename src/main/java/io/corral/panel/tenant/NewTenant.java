package io.corral.panel.tenant;

import io.corral.panel.identity.TenantDirectory.NewUser;

/** A tenant just made, with its owner's temporary password: the only time it is shown. */
public record NewTenant(TenantView tenant, NewUser owner) {
}
