package io.corral.panel.consolidation;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/consolidation")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class ConsolidationResource {
    @Inject
    ConsolidationService consolidation;

    @GET
    @Operation(summary = "Consolidation statistics (admins): per host its capacity, allocation and overcommit, measured CPU, "
            + "memory and disk use (average and p95 of hourly averages), idle share and servers; for the fleet the totals, "
            + "how many hosts its p95 use plus the headroom needs, and the nearly idle hosts")
    public FleetStatistics statistics(
            @Parameter(description = "24h, 7d or 30d (default 7d)") @QueryParam("window") String window,
            @Parameter(description = "room kept above the p95 use, as a share (default corral.consolidation.headroom, 0.2)",
                    schema = @Schema(type = SchemaType.NUMBER)) @QueryParam("headroom") String headroom,
            @Parameter(description = "a host whose p95 CPU use is below this share of its CPUs is nearly idle "
                    + "(default corral.consolidation.idle-below, 0.1)", schema = @Schema(type = SchemaType.NUMBER))
            @QueryParam("idleBelow") String idleBelow) {
        return consolidation.statistics(Window.parse("window", window, Window.WEEK), QueryParams.number("headroom", headroom),
                QueryParams.number("idleBelow", idleBelow));
    }
}
