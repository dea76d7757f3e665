package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;

/** Who is looking, for the header and for what a page offers. */
public record Viewer(String name, boolean admin, boolean owner, String tenant) {
    static Viewer of(CurrentUser user) {
        return new Viewer(user.name(), user.isAdmin(), user.isTenantOwner(), user.tenantSlug().orElse(null));
    }
}
