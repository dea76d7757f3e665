package io.corral.panel.forward;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.OperationView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers/{id}/forwards")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ForwardResource {
    @Inject
    ForwardService forwards;

    @GET
    @Operation(summary = "The server's port forwards (none until set) and the address of its host",
            description = "Customers see their tenant's servers only: another's answers 404.")
    public PortForwards get(@PathParam("id") long id) {
        return forwards.of(id);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the server's port forwards (queued operation)",
            description = "For a server on a private network: what reaches its host's address on protocol and hostPort is sent on "
                    + "to the server's serverPort, where the server's firewall judges it as any other traffic. hostPort is one of the "
                    + "panel's range for forwards (20000-29999 unless configured otherwise); left out, the panel picks the lowest free "
                    + "one (GET shows it). The list replaces the server's forwards whole (send the ones to keep with their hostPort), "
                    + "is saved at once and sent to the server's host by the operation, and a create or reinstall sends it too; a "
                    + "change made while the server's last one is still queued joins that operation. 400 names the field at fault "
                    + "(forwards[2].serverPort) and changes nothing; 422 when the plan allows fewer forwards per server "
                    + "(serverPortForwards); 409 names a hostPort another server of the host has, or refuses more forwards than the "
                    + "host has room for (corral.forwards.max-per-host, naming forwards; keeping or lowering a server's own always "
                    + "passes). If the host cannot take the change, the operation fails and the forwards are what the host says it "
                    + "holds when asked (those before the change, unless it took it and its answer was lost; where it cannot say, "
                    + "those before), unless a later change is queued. Refused (403) to a suspended tenant's users.")
    public Response put(@PathParam("id") long id, @NotNull PortForwards requested,
                        @Parameter(description = "Repeat a request safely: the same key returns the first result")
                        @HeaderParam("Idempotency-Key") String key) {
        io.corral.panel.server.Operation op = forwards.change(id, requested.forwards(), key);
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
