package io.corral.panel.snapshot;

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

@Path("/api/v1/servers/{id}/snapshots")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class SnapshotResource {
    static final String KEY = "Idempotency-Key";
    @Inject
    SnapshotService snapshots;

    @GET
    @Operation(summary = "The server's snapshots, oldest first",
            description = "Each with its status (pending, ready, deleting), and once its host has taken it: the disk's size (diskBytes), what "
                    + "the copy takes on the host (storedBytes, what the plan's snapshot storage and the bill count), how long the "
                    + "running server was paused for it (pauseMillis, 0 when stopped). Customers see their tenant's servers only: another's "
                    + "answers 404.")
    public List<SnapshotView> list(@PathParam("id") long id) {
        return snapshots.list(id);
    }

    @POST
    @Operation(summary = "Take a snapshot of the server's disk (queued operation)",
            description = "A running server is frozen for the copy and thawed after it; a stopped one is copied as it is. Refused (422 "
                    + "naming snapshots or snapshotStorage) when the server has its plan's snapshots per server, or the tenant's snapshots "
                    + "take its plan's storage already; a snapshot that turns out to put the tenant over that storage is deleted again and "
                    + "its operation fails saying so. Answers 202 with the snapshot (pending) and the operation in Location.")
    public Response take(@PathParam("id") long id,
                         @Parameter(description = "Repeat a request safely: the same key returns the first result") @HeaderParam(KEY) String key) {
        io.corral.panel.server.Operation op = snapshots.take(id, key);
        return Response.accepted(snapshots.taking(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }

    @POST
    @Path("/{snapshotId}/restore")
    @Operation(summary = "Put the server back to a snapshot (queued operation)",
            description = "The server is stopped, its disk replaced by the snapshot's, and started again if it was running; the snapshot "
                    + "stays. Everything written since the snapshot is lost.")
    public Response restore(@PathParam("id") long id, @PathParam("snapshotId") String snapshotId, @HeaderParam(KEY) String key) {
        return accepted(snapshots.restore(id, snapshotId, key));
    }

    @DELETE
    @Path("/{snapshotId}")
    @Operation(summary = "Delete a snapshot (queued operation)")
    public Response delete(@PathParam("id") long id, @PathParam("snapshotId") String snapshotId, @HeaderParam(KEY) String key) {
        return accepted(snapshots.delete(id, snapshotId, key));
    }

    private static Response accepted(io.corral.panel.server.Operation op) {
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
