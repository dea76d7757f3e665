package io.corral.panel.backup;

import io.corral.panel.common.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/evacuations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class EvacuationResource {
    @Inject
    Evacuation evacuation;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evacuate a host that is down: its servers made anew on other hosts from their latest backups (admins)",
            description = "The admin's explicit choice for a host that is down and not coming back soon: what each server wrote since its "
                    + "latest backup is lost. The host must be down (409 otherwise: a host that answers is emptied by draining it, which "
                    + "loses nothing) and share its backup store with other hosts (its backupStore; 409 without). Each server is placed on "
                    + "a host with the same backupStore as placement places (up, not draining, its template, its networks, room under the "
                    + "overcommit ratios), keeps its id, hostname, limits, addresses and port forwards, and is made there by a create and "
                    + "a restore of its latest ready backup, queued as operations. A server that cannot be (no ready backup in that store, "
                    + "no host with room, an operation still pending, being moved) stays and is listed under skipped with the reason. Its "
                    + "snapshots are gone with the host. Power the host off for good before: when it answers again, its agent boots its old "
                    + "copies, which the next heartbeat removes.")
    public Evacuation.Result evacuate(@Valid @NotNull EvacuationRequest request) {
        return evacuation.evacuate(request.hostId());
    }
}
