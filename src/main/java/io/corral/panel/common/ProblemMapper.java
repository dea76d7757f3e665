package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one error mapper of the panel: domain refusals, validation failures and unexpected errors all
 * become application/problem+json. A 5xx answer hides internals and logs them instead.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final MediaType PROBLEM = MediaType.valueOf("application/problem+json");
    private static final Map<DomainException.Kind, Integer> STATUS = Map.of(
            DomainException.Kind.INVALID, 400,
            DomainException.Kind.FORBIDDEN, 403,
            DomainException.Kind.NOT_FOUND, 404,
            DomainException.Kind.CONFLICT, 409,
            DomainException.Kind.QUOTA, 422,
            DomainException.Kind.TOO_MANY, 429,
            DomainException.Kind.NO_CAPACITY, 503,
            DomainException.Kind.UNAVAILABLE, 503);

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        int status = STATUS.get(e.kind());
        return problem(status, e.kind().name().toLowerCase(), e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
        String path = first.getPropertyPath().toString();
        // "create.request.hostname" → "hostname": the method and parameter names mean nothing to a client;
        // "create.request" is the body itself (the only parameters with constraints are bodies)
        String[] parts = path.split("\\.");
        String field = parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : "body";
        return problem(400, "invalid", field + ": " + first.getMessage(), field);
    }

    /** A body that is not JSON, or whose field has the wrong type: the field named, as validation failures do. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        UnreadableBody body = UnreadableBody.of(e);
        if (body == null) {
            return unexpected(new IllegalStateException(e));
        }
        return problem(400, "invalid", body.field() + ": " + body.rule(), body.field());
    }

    /** Named apart so that it is this mapper, not quarkus-rest-jackson's own, that answers a field of the wrong type. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return problem(status, "failed", "the panel could not complete the request", null);
        }
        String detail = status == 400 && e.getCause() != null ? "body: " + rootMessage(e.getCause()) : e.getMessage();
        return problem(status, Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase() : "error", detail, status == 400 ? "body" : null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return problem(500, "failed", "the panel could not complete the request; the error was logged", null);
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    public static Response problem(int status, String title, String detail, String field) {
        return Response.status(status).type(PROBLEM).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(Problem.of(status, title, detail, field)).build();
    }
}
