package io.corral.panel.backup;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/servers/{id}/backup-schedule")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ScheduleResource {
    @Inject
    ScheduleService schedules;

    @GET
    @Operation(summary = "The server's backup schedule and its next run; 404 when it has none")
    public ScheduleView get(@PathParam("id") long id) {
        return schedules.of(id).orElseThrow(() -> DomainException.notFound(r -> r.backup_schedule_not_found(id)));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the server's backup schedule",
            description = "Daily at an hour (UTC), or weekly on a weekday (1 Monday to 7 Sunday) at an hour; retention: how many of its "
                    + "backups are kept (1 to the plan's backups per server), the oldest deleted when a newer one is taken. A run is "
                    + "skipped when the server keeps its plan's backups per server already, counting the ones retention lets go. 400 "
                    + "names the field at fault, 422 a retention over the plan.")
    public ScheduleView put(@PathParam("id") long id, @Valid @NotNull ScheduleRequest schedule) {
        return schedules.set(id, schedule);
    }

    @DELETE
    @Operation(summary = "Remove the server's backup schedule; the backups it took stay until deleted")
    public void delete(@PathParam("id") long id) {
        schedules.remove(id);
    }
}
