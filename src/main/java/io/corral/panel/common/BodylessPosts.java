package io.corral.panel.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that names no type is read as JSON, so that an optional body stays optional: a script's
 * bare `curl -X POST …/reinstall` (as before reinstall took one) reads as no body, not as an octet
 * stream no reader takes. Browsers' forms always name theirs.
 */
public class BodylessPosts {
    @ServerRequestFilter(preMatching = true)
    void typeAsJson(ContainerRequestContext request) {
        if (request.getMediaType() == null) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
