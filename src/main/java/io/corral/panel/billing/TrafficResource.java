package io.corral.panel.billing;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.QueryParams;
import io.corral.panel.server.ServerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers/{id}/usage/traffic")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class TrafficResource {
    @Inject
    BillingService billing;
    @Inject
    ServerService servers;

    @GET
    @Operation(summary = "The server's traffic in a month (UTC; this month unless month names another) against what its plan includes, "
            + "as its page shows it",
            description = "Only what the server sends counts. The allowance is the plan's per server and month, pro rata when the "
                    + "server exists for part of the month (from the hour it was ordered to the completion of its destroy); null when "
                    + "the plan is unmetered. What it sent beyond the allowance is charged at the plan's price per GiB, on the billing "
                    + "export's lines (traffic_overage_gib, traffic_overage_cost), whose sum this is.")
    public TrafficMonth inMonth(@PathParam("id") long id,
                                @Parameter(description = "The month, e.g. 2026-11; absent: this month") @QueryParam("month") String month) {
        servers.get(id); // 404 for a server the caller may not see
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        return billing.trafficInMonth(id, QueryParams.month("month", month, now).atDay(1), now);
    }
}
