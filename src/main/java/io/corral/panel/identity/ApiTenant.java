package io.corral.panel.identity;

import io.quarkus.oidc.TenantResolver;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which OIDC tenant a request belongs to: /api/* is the API's (bearer tokens, quarkus.oidc.api.*),
 * everything else the browser's (the default tenant, sign-in by code flow). Written here rather than
 * as quarkus.oidc.api.tenant-paths so that {@link VerifiedBearerTokens} asks the same question OIDC does.
 */
@ApplicationScoped
public class ApiTenant implements TenantResolver {
    /** The OIDC tenant of the API, as named in application.properties. */
    public static final String API = "api";

    @Override
    public String resolve(RoutingContext request) {
        String path = HttpSecurityUtils.pathWithoutMatrixParams(request.normalizedPath());
        return path.equals("/api") || path.startsWith("/api/") ? API : null;
    }
}
