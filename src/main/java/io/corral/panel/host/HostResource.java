package io.corral.panel.host;

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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class HostResource {
    @Inject
    HostService hosts;

    @GET
    @Operation(summary = "List hosts with capacity, allocation and state (admins); searched by part of the name and status")
    public Page<HostView> list(@BeanParam PageRequest page, @BeanParam HostSearch search) {
        return hosts.list(page, search);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One host (admins)")
    public HostView get(@PathParam("id") long id) {
        return hosts.find(id).map(hosts::view).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(id)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Register a host by its agent's https address, secret and certificate fingerprint (admins)",
            description = "The panel pins the agent's certificate by its SHA-256 fingerprint, as `corral-agent fingerprint` prints it on "
                    + "the host, and refuses an agent presenting another; without a fingerprint it pins the certificate the agent presents "
                    + "now and records that in the audit log. The host's facts are read from the agent.")
    public Response register(@Valid @NotNull HostRequest request) {
        Host h = hosts.register(request);
        return Response.created(URI.create("/api/v1/hosts/" + h.id)).entity(hosts.view(h)).build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("/{id}")
    @Operation(summary = "Drain a host (no new servers), change its overcommit ratios, pin its agent's new certificate or set where "
            + "customers reach it (admins)", description = "Fields left out stay as they are. publicAddress is where the server pages and "
            + "GET /api/v1/servers/{id}/forwards show the host's port forwards (400 naming publicAddress if it is not an IPv4 address "
            + "or a DNS name).")
    public HostView change(@PathParam("id") long id, @Valid @NotNull HostChange change) {
        return hosts.view(hosts.change(id, change));
    }
}
