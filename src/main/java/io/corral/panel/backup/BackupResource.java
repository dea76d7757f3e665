package io.corral.panel.backup;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.OperationView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers/{id}/backups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class BackupResource {
    static final String KEY = "Idempotency-Key";
    @Inject
    BackupService backups;

    @GET
    @Operation(summary = "The server's backups, oldest first",
            description = "Each with its status (pending, ready, deleting), whether its schedule took it, and once taken: the disk's size, "
                    + "its chunks of 1 MiB with data (chunks) and how many it wrote new (newChunks; the others were in the store already), "
                    + "the compressed bytes it wrote (storedBytes, what the bill counts) and that all its chunks take (totalBytes, what a "
                    + "restore reads), the server's pause and the SHA-256 of its manifest. Customers see their tenant's servers only: "
                    + "another's answers 404.")
    public List<BackupView> list(@PathParam("id") long id) {
        return backups.list(id);
    }

    @POST
    @Operation(summary = "Back the server's disk up to its host's backup store (queued operation)",
            description = "Compressed and checksummed chunks, each written once to the store: a backup writes only what changed since "
                    + "any earlier one. A running server is paused only for a local snapshot, which the backup then reads. Refused (422 "
                    + "naming backups) when the server keeps its plan's backups per server already. Answers 202 with the backup (pending) "
                    + "and the operation in Location.")
    public Response take(@PathParam("id") long id,
                         @Parameter(description = "Repeat a request safely: the same key returns the first result") @HeaderParam(KEY) String key) {
        io.corral.panel.server.Operation op = backups.take(id, key);
        return Response.accepted(backups.taking(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }

    @POST
    @Path("/{backupId}/restore")
    @Operation(summary = "Put the server's disk back to a backup (queued operation)",
            description = "The host checks the backup's manifest and every chunk's SHA-256 while it writes the new disk beside the old one; "
                    + "a backup that fails its checksum fails the operation with the reason (the chunk) and leaves the server as it was. "
                    + "Else the server is stopped, its disk replaced, and started again if it was running.")
    public Response restore(@PathParam("id") long id, @PathParam("backupId") String backupId, @HeaderParam(KEY) String key) {
        return accepted(backups.restore(id, backupId, key));
    }

    @DELETE
    @Path("/{backupId}")
    @Operation(summary = "Delete a backup from its store (queued operation)",
            description = "Chunks no other backup uses are removed from the store with it.")
    public Response delete(@PathParam("id") long id, @PathParam("backupId") String backupId, @HeaderParam(KEY) String key) {
        return accepted(backups.delete(id, backupId, key));
    }

    private static Response accepted(io.corral.panel.server.Operation op) {
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
