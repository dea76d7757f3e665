package io.corral.panel.backup;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.OperationView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

    @GET
    @Operation(summary = "The backups of a server, also of one destroyed since, oldest first",
            description = "Customers see their tenant's only: another tenant's server has none.")
    public List<BackupView> list(@QueryParam("serverId") long serverId) {
        return backups.ofServerEver(serverId);
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
