package io.corral.panel.consolidation;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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
    @Inject
    ConsolidationPlans plans;
    @Inject
    MoveRuns runs;
    @Inject
    CurrentUser user;

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

    @GET
    @Path("/plan")
    @Operation(summary = "A consolidation plan (admins): the moves, in order, that empty as many hosts as possible without any host "
            + "going over its overcommit ratios or its measured p95 use plus the headroom at any step; the hosts it empties, the "
            + "lower bound it is measured against, the expected downtime, and each host before and after; made from the fleet as it "
            + "is, one plan at a time per panel (another waits its turn, up to corral.consolidation.plan-waits, then 409)")
    public ConsolidationPlan plan(
            @Parameter(description = "24h, 7d or 30d of measured use (default 7d)") @QueryParam("window") String window,
            @Parameter(description = "room kept above each host's p95 use, as a share (default corral.consolidation.headroom, 0.2)",
                    schema = @Schema(type = SchemaType.NUMBER)) @QueryParam("headroom") String headroom) {
        return plans.plan(Window.parse("window", window, Window.WEEK), QueryParams.number("headroom", headroom));
    }

    @POST
    @Path("/plan/run")
    @Operation(summary = "Carry out a consolidation plan (admins): made again from the fleet as it is now; the hosts it empties are "
            + "marked draining, and its moves run one at a time as operations; one run at a time (409 while one runs)")
    public Response runPlan(
            @Parameter(description = "24h, 7d or 30d of measured use (default 7d)") @QueryParam("window") String window,
            @Parameter(description = "room kept above each host's p95 use, as a share (default 0.2)",
                    schema = @Schema(type = SchemaType.NUMBER)) @QueryParam("headroom") String headroom) {
        return started(runs.runPlan(Window.parse("window", window, Window.WEEK), QueryParams.number("headroom", headroom), user.name()));
    }

    @POST
    @Path("/hosts/{hostId}/drain")
    @Operation(summary = "Drain a host (admins): it is marked draining and every server on it is moved to the hosts that take "
            + "servers, placed as the planner places them, none over what it may hold; a host that cannot be emptied whole "
            + "is refused (409) and nothing moves")
    public Response drain(@PathParam("hostId") long hostId) {
        return started(runs.drain(hostId, user.name()));
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "A run of moves with each move's operation and how it went (admins)")
    public MoveRunView run(@PathParam("id") long id) {
        return runs.view(id);
    }

    @POST
    @Path("/runs/{id}/cancel")
    @Operation(summary = "Cancel a run (admins): the move in flight finishes, the rest are not made")
    public MoveRunView cancel(@PathParam("id") long id) {
        return runs.view(runs.cancel(id, user.name()).id);
    }

    private Response started(MoveRun run) {
        return Response.status(Response.Status.CREATED).location(URI.create("/api/v1/consolidation/runs/" + run.id)).entity(runs.view(run.id)).build();
    }

}
