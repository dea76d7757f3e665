package io.corral.panel.consolidation;

import io.corral.panel.common.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/hosts/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class HostUsageResource {
    @Inject
    ConsolidationService consolidation;

    @GET
    @Operation(summary = "A host's use per hour over a window, for its chart (admins): CPU cores busy, memory and its "
            + "servers' disk in GiB, servers running")
    public List<HostSeriesPoint> series(@PathParam("id") long id,
                                        @Parameter(description = "24h, 7d or 30d (default 24h)") @QueryParam("window") String window) {
        return consolidation.series(id, Window.parse("window", window, Window.DAY));
    }
}
