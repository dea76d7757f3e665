package io.corral.panel.network;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/api/v1/networks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class NetworkResource {
    @Inject
    NetworkService networks;

    @GET
    @Operation(summary = "List networks with their pools (how full each is) and hosts (admins)")
    public Page<NetworkView> list(@BeanParam PageRequest page) {
        return networks.list(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One network with its pools (how full each is) and hosts (admins)")
    public NetworkView get(@PathParam("id") long id) {
        return networks.find(id).orElseThrow(() -> DomainException.notFound(r -> r.network_not_found(id)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Make a network: a name, public or private, an IPv4 prefix and gateway, optionally IPv6, resolvers (admins)",
            description = "400 names the field at fault: a prefix that is not one (or has host bits set, or leaves no room), a gateway "
                    + "outside its prefix or on its network or broadcast address, a resolver that is not an address. 409: the name is "
                    + "taken, or a public network's prefix overlaps another network's.")
    public Response create(@Valid @NotNull NetworkRequest request) {
        NetworkView n = networks.create(request);
        return Response.created(URI.create("/api/v1/networks/" + n.id())).entity(n).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a network with its pools and host attachments (admins)",
            description = "409 while servers hold its addresses.")
    public Response delete(@PathParam("id") long id) {
        networks.delete(id);
        return Response.noContent().build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{id}/pools")
    @Operation(summary = "Add a pool: a range of addresses inside the network's prefix that servers get theirs from (admins)",
            description = "The network's gateway and its network and broadcast addresses in the range are never handed out. 400 names "
                    + "the field: an end outside the prefix, of another family, or a range with no address to give; 409: the range "
                    + "overlaps another pool of the network.")
    public Response addPool(@PathParam("id") long id, @Valid @NotNull PoolRequest request) {
        return Response.status(Response.Status.CREATED).entity(networks.addPool(id, request)).build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("/{id}/hosts/{hostId}")
    @Operation(summary = "Attach the network to a host, with its uplink there: its servers can get the network's addresses (admins)",
            description = "Several hosts may share a network. The body is optional: {\"uplink\":\"eth1\"} on a public network names the "
                    + "host's interface where the host answers ARP and neighbour discovery for its servers' addresses; absent or empty, "
                    + "none (the provider routes the network to the host). Attaching an attached host again sets its uplink; the same "
                    + "again changes nothing. 400 names uplink: not an interface name, or on a private network. 409 when the host has a "
                    + "network whose prefix overlaps this one's, or (naming uplink) when the uplink would change while servers on the host "
                    + "hold the network's addresses: their agent answers for them on the uplink it was given, and keeps it until they are "
                    + "destroyed.")
    public NetworkView attach(@PathParam("id") long id, @PathParam("hostId") long hostId,
                              @RequestBody(required = false) AttachRequest request) {
        return networks.attach(id, hostId, request == null ? null : request.uplink());
    }

    @DELETE
    @Path("/{id}/hosts/{hostId}")
    @Operation(summary = "Detach the network from a host (admins)", description = "409 while servers on that host hold its addresses.")
    public NetworkView detach(@PathParam("id") long id, @PathParam("hostId") long hostId) {
        return networks.detach(id, hostId);
    }
}
