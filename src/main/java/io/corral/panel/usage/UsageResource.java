package io.corral.panel.usage;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class UsageResource {
    @Inject
    UsageService usage;

    @GET
    @Operation(summary = "The server's usage per hour from the usage ledger: CPU core-hours, memory and disk GiB-hours, "
            + "uptime, OOM kills, CPU throttling, process-limit hits, network bytes received and sent")
    public List<UsageHour> hours(@PathParam("id") long id,
                                 @Parameter(description = "start, ISO-8601 (default: 24 hours ago)") @QueryParam("from") String from,
                                 @Parameter(description = "end, ISO-8601, exclusive (default: now)") @QueryParam("to") String to) {
        Instant end = QueryParams.instant("to", to, Instant.now());
        return usage.hours(id, QueryParams.instant("from", from, end.minus(Duration.ofDays(1))), end);
    }
}
