package io.corral.panel.firewall;

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

@Path("/api/v1/servers/{id}/firewall")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class FirewallResource {
    @Inject
    FirewallService firewalls;

    @GET
    @Operation(summary = "The server's inbound firewall: its rules in order and its default (open, allow and no rules, until set)",
            description = "Customers see their tenant's servers only: another's answers 404.")
    public Firewall get(@PathParam("id") long id) {
        return firewalls.of(id);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the server's inbound firewall (queued operation)",
            description = "Rules apply in order, the first that matches decides, and defaultInbound decides the rest; replies to the "
                    + "server's own connections, ARP and neighbour discovery always pass. It is saved at once and sent to the server's "
                    + "host by the operation: on a running server it applies in one step, a stopped one boots with it, and a create or "
                    + "reinstall sends it too. A change made while the server's last one is still queued joins that operation (the answer "
                    + "names it), which sends whatever was saved last. 400 names the field at fault (rules[3].ports) and changes "
                    + "nothing; if the host cannot take it, the operation fails and the firewall is what the host says it holds when "
                    + "asked (the one before, unless it took the change and its answer was lost; where it cannot say, the one before), "
                    + "unless a later change is queued. Refused (403) to a suspended tenant's users.")
    public Response put(@PathParam("id") long id, @NotNull Firewall firewall,
                        @Parameter(description = "Repeat a request safely: the same key returns the first result")
                        @HeaderParam("Idempotency-Key") String key) {
        io.corral.panel.server.Operation op = firewalls.change(id, firewall, key);
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
