package io.corral.panel.billing;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
public class BillingResource {
    @Inject
    BillingService billing;

    @GET
    @Path("/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @RolesAllowed({CurrentUser.ADMIN, CurrentUser.BILLING, CurrentUser.CUSTOMER})
    @Operation(summary = "Usage and cost lines, a line per server per day (or hour), streamed: CSV, JSON or FOCUS CSV",
            description = "Admins and billing systems get every tenant (or the one named); customers only their own. A closed "
                    + "period (from and to exactly as closed, by day) is exported from its frozen lines: the same bytes every time. "
                    + "CSV and JSON columns: period_start, period_end, charge_start, charge_end, tenant, tenant_name, server_id, "
                    + "hostname, plan, memory_mib, cpus, disk_mib (allocation), billed_hours (hours metered), cpu_core_hours, "
                    + "memory_gib_hours, disk_gib_hours, network_gib (received and sent together), uptime_hours (measured), "
                    + "base_cost, resource_cost, cost (base, resources, traffic overage and storage), currency, and the traffic: "
                    + "traffic_out_gib (what the server sent: only that counts against its plan's allowance), traffic_included_gib "
                    + "(its allowance for the line's calendar month, the same on each of its lines in it, pro rata from the hour "
                    + "it was ordered to the completion of its destroy; empty in CSV, null in JSON, for an unmetered plan), "
                    + "traffic_overage_gib (the part of this line's traffic beyond the allowance, counting the month's traffic "
                    + "in order: the line in which the running total passes it carries the part beyond, later lines all they "
                    + "sent) and traffic_overage_cost (that at the plan's price per GiB, part of cost); then snapshot_gib_hours and "
                    + "backup_gib_hours (what the server's snapshots took on its host and its backups in the store, each chunk once, by the hour) "
                    + "and storage_cost (those at the plan's prices per GiB-month, part of cost; a line of hours with storage only, "
                    + "such as a destroyed server's backups, has no billed hours and costs its storage alone). Lines are priced by the "
                    + "tenant's plan when they are read, or, for a closed period, when it was closed. FOCUS: BilledCost is cost.")
    public Response export(@Parameter(description = "first day, e.g. 2026-11-01") @QueryParam("from") String from,
                           @Parameter(description = "day after the last, e.g. 2026-12-01") @QueryParam("to") String to,
                           @Parameter(description = "csv (default), json or focus") @QueryParam("format") String format,
                           @Parameter(description = "day (default) or hour") @QueryParam("granularity") String granularity,
                           @Parameter(description = "only this tenant", schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                           @QueryParam("tenantId") String tenantId) {
        return download(billing, billing.plan(format, QueryParams.date("from", from), QueryParams.date("to", to),
                QueryParams.id("tenantId", tenantId), granularity));
    }

    /** The streamed answer of an export, for the API and the browser's download alike. */
    public static Response download(BillingService billing, BillingService.Export export) {
        return Response.ok(billing.stream(export), export.contentType() + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"").build();
    }

    @GET
    @Path("/periods")
    @RolesAllowed({CurrentUser.ADMIN, CurrentUser.BILLING})
    @Operation(summary = "Billing periods, newest first (admins, billing)")
    public List<PeriodView> periods() {
        return billing.periods();
    }

    @POST
    @Path("/periods")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Open a billing period [startsOn, endsOn) (admins)")
    public Response open(@Valid @NotNull PeriodRequest request) {
        return Response.status(Response.Status.CREATED).entity(PeriodView.of(billing.open(request))).build();
    }

    @POST
    @Path("/periods/{id}/close")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Close a billing period: its daily lines are frozen as the usage ledger has them now (admins)")
    public PeriodView close(@PathParam("id") long id) {
        return PeriodView.of(billing.close(id));
    }
}
