package io.corral.panel.billing;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.ServerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/servers/{id}/usage/traffic")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class TrafficResource {
    @Inject
    BillingService billing;
    @Inject
    ServerService servers;

    @GET
    @Operation(summary = "The server's traffic this month (UTC) against what its plan includes, as its page shows it",
            description = "Only what the server sends counts. The allowance is the plan's per server and month, pro rata when the "
                    + "server exists for part of the month (from the hour it was ordered to the completion of its destroy); null when "
                    + "the plan is unmetered. What it sent beyond the allowance is charged at the plan's price per GiB, on the billing "
                    + "export's lines (traffic_overage_gib, traffic_overage_cost), whose sum this is.")
    public TrafficMonth thisMonth(@PathParam("id") long id) {
        servers.get(id); // 404 for a server the caller may not see
        return billing.trafficInMonth(id, LocalDate.now(ZoneOffset.UTC));
    }
}
