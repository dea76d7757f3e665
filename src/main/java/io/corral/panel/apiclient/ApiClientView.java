package io.corral.panel.apiclient;

import java.time.OffsetDateTime;

/** An API client as its tenant's owner and admins see it: never its secret. */
public record ApiClientView(long id, String clientId, String name, String createdBy, OffsetDateTime createdAt) {
    static ApiClientView of(ApiClient c) {
        return new ApiClientView(c.id, c.clientId, c.name, c.createdBy, c.createdAt);
    }
}
