package io.corral.panel.identity;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** How the panel changes Keycloak: each change's failure a refusal saying what was not done, each undo logged if it fails. */
final class KeycloakCalls {
    private static final Logger LOG = Logger.getLogger(KeycloakCalls.class);

    private KeycloakCalls() {
    }

    /** Runs one change (what: its words) against Keycloak; its failures become a refusal that says what was not done and why. */
    static <T> T call(Function<Refusals, String> what, Supplier<T> change) {
        try {
            return change.get();
        } catch (DomainException e) {
            throw e;
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String reason = reason(e.getResponse());
            throw new DomainException(DomainException.Kind.UNAVAILABLE, null, r -> r.keycloak_answered(what.apply(r), status, reason));
        } catch (ProcessingException e) {
            String reason = rootMessage(e);
            throw new DomainException(DomainException.Kind.UNAVAILABLE, null, r -> r.keycloak_unreachable(what.apply(r), reason));
        }
    }

    private static String reason(Response response) {
        try {
            String body = response.readEntity(String.class);
            return body == null || body.isBlank() ? response.getStatusInfo().getReasonPhrase() : body;
        } catch (RuntimeException e) {
            return response.getStatusInfo().getReasonPhrase();
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A compensating step; if it fails too, the log says what an admin has to remove by hand. */
    static void undo(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.errorf("could not undo the creation of %s in Keycloak (%s); remove it by hand", what, rootMessage(e));
        }
    }
}
