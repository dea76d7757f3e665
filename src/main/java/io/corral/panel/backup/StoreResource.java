package io.corral.panel.backup;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.OperationView;
import io.corral.panel.server.ServerRequest;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Backups by their server's id, also a server destroyed since: the backup stores outlive servers, and so do their bills. */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class StoreResource {
    @Inject
    BackupService backups;
    @Inject
    ServerService servers;

    @GET
    @Operation(summary = "The backups of a server, also of one destroyed since, oldest first",
            description = "Customers see their tenant's only: another tenant's server has none.")
    public List<BackupView> list(@QueryParam("serverId") long serverId) {
        return backups.ofServerEver(serverId);
    }

    @POST
    @Path("/{backupId}/servers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Order a new server made from a backup: created on the host that keeps the backup, then the backup restored into it",
            description = "The order is checked as POST /api/v1/servers checks one (the plan's bounds, hostname, keys); it must name the "
                    + "backup's template (400 naming template) and a disk no smaller than the backup's (400 naming diskMiB). The backup may be "
                    + "of a server destroyed since; another tenant's answers 404. The restore checks every chunk first: a backup that fails "
                    + "its checksum fails the restore operation with the reason, and the new server stays as created.")
    public Response newServer(@PathParam("backupId") String backupId, @Valid @NotNull ServerRequest request,
                              @HeaderParam("Idempotency-Key") String key) {
        VirtualServer v = backups.newServer(backupId, request, key);
        return Response.created(URI.create("/api/v1/servers/" + v.id)).entity(servers.view(v)).build();
    }

    @DELETE
    @Path("/{backupId}")
    @Operation(summary = "Delete a backup from its store (queued operation), also of a server destroyed since",
            description = "Chunks no other backup uses are removed from the store with it; another tenant's backup answers 404.")
    public Response delete(@PathParam("backupId") String backupId, @HeaderParam("Idempotency-Key") String key) {
        io.corral.panel.server.Operation op = backups.deleteEver(backupId, key);
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
