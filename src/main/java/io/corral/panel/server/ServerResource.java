package io.corral.panel.server;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ServerResource {
    static final String KEY = "Idempotency-Key";

    @Inject
    ServerService servers;
    @Inject
    ServerMoves moves;

    @GET
    @Operation(summary = "List servers: customers their tenant's, admins all; searched by part of the hostname, tenant, host and state")
    public Page<ServerView> list(@BeanParam PageRequest page, @BeanParam ServerSearch search) {
        return servers.list(page, search);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One server with its desired and observed state and its network's addresses")
    public ServerView get(@PathParam("id") long id) {
        return servers.view(id);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Order a server: checked against the tenant's plan, placed on a host, then created and started by an operation",
            description = "Every limit is checked against the plan's bound per server and in all; 422 names the limit and by how much. "
                    + "Where the plan's servers get a network, the server takes an address from a network of that kind on its host "
                    + "in the same transaction: 409 names the networks that are full, and nothing is reserved. sshKeys and rootPassword "
                    + "are written into the server's root before it first boots (only the password's SHA-512 crypt hash is kept); "
                    + "a refusal names the field (sshKeys[1]).")
    public Response create(@Valid @NotNull ServerRequest request,
                           @Parameter(description = "Admins only: the tenant to create it for",
                                   schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                           @QueryParam("tenantId") String tenantId,
                           @Parameter(description = "Repeat a request safely: the same key returns the first result") @HeaderParam(KEY) String key) {
        VirtualServer v = servers.create(request, QueryParams.id("tenantId", tenantId), key);
        return Response.created(URI.create("/api/v1/servers/" + v.id)).entity(servers.view(v)).build();
    }

    @POST
    @Path("/{id}/start")
    @Operation(summary = "Start the server (queued operation)")
    public Response start(@PathParam("id") long id, @HeaderParam(KEY) String key) {
        return accepted(servers.act(id, io.corral.panel.server.Operation.Kind.start, key));
    }

    @POST
    @Path("/{id}/stop")
    @Operation(summary = "Stop the server: clean shutdown, then killed after a grace period (queued operation)")
    public Response stop(@PathParam("id") long id, @HeaderParam(KEY) String key) {
        return accepted(servers.act(id, io.corral.panel.server.Operation.Kind.stop, key));
    }

    @POST
    @Path("/{id}/restart")
    @Operation(summary = "Restart the server (queued operation)")
    public Response restart(@PathParam("id") long id, @HeaderParam(KEY) String key) {
        return accepted(servers.act(id, io.corral.panel.server.Operation.Kind.restart, key));
    }

    @POST
    @Path("/{id}/reinstall")
    @Operation(summary = "Reinstall: a fresh root filesystem from the template; its files are lost (queued operation)",
            description = "Root's SSH keys and password hash are written into the fresh root before it boots: the server's own, or those "
                    + "the optional body gives (sshKeys replaces its keys, rootPassword its password); refusals name the field.")
    public Response reinstall(@PathParam("id") long id, ReinstallRequest request, @HeaderParam(KEY) String key) {
        return accepted(servers.reinstall(id, request, key));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Destroy the server and everything on it; its quota is released at once (queued operation)")
    public Response destroy(@PathParam("id") long id, @HeaderParam(KEY) String key) {
        return accepted(servers.act(id, io.corral.panel.server.Operation.Kind.destroy, key));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("/{id}/limits")
    @Operation(summary = "Change limits, checked against the plan (queued operation; disk only while stopped)",
            description = "Every limit that grows is checked against the plan's bound per server and in all; 422 names the limit and by how much. "
                    + "Memory, CPUs and disk that grow must also fit the server's host under its overcommit ratios (503 names the limit); "
                    + "while the server is being moved they grow only once it has arrived (409). The operation succeeds once the host "
                    + "has taken the change; while the host does not answer (three attempts) or is busy with the server (about two "
                    + "hours), it is sent again, and the host takes it at most once; refused or given up on, the panel records the "
                    + "limits the server had. An operation's busyAttempts counts the attempts that found the server busy.")
    public Response limits(@PathParam("id") long id, @Valid @NotNull LimitsRequest request, @HeaderParam(KEY) String key) {
        return accepted(servers.changeLimits(id, request, key));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{id}/exec")
    @Operation(summary = "Run a command inside the running server and return its exit code and output",
            description = "Audited with the caller, the command and its outcome. timeoutSeconds: 60 by default, at most 600; at the "
                    + "timeout the command's process group is killed and the answer says timedOut (exit code 124). Output is kept up "
                    + "to 1 MiB each of stdout and stderr; past that the command's writes fail. Refused (403) to a suspended tenant's "
                    + "users; 429 with the host's reason when the server (4) or the host (16) runs as many commands as it takes at once.")
    public ExecResult exec(@PathParam("id") long id, @Valid @NotNull ExecRequest request) {
        return servers.exec(id, request.command(), request.timeoutSeconds() == null ? 60 : request.timeoutSeconds());
    }

    @GET
    @Path("/{id}/isolation")
    @Operation(summary = "How the running server is held in: its own namespaces, capability bounding set, seccomp, "
            + "device rules and user mapping, read live from its host", description = "Refused (403) to a suspended tenant's users.")
    public Isolation isolation(@PathParam("id") long id) {
        return servers.isolation(id);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{id}/move")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Move the server to another host, keeping its id, hostname, limits, files and credentials (admins; queued operation)",
            description = "The receiving host must be up, not draining, with room under its overcommit ratios (held for the server until "
                    + "the move ends). The disk is copied agent to agent while the server runs, then again with it stopped, checked "
                    + "block by block on the receiving host, and the server started there; the operation's result gives the bytes "
                    + "sent and the downtime. A move that fails leaves the server on its host as it was. The server keeps its "
                    + "addresses and port forwards: the receiving host must be on its networks and have its forwards' host ports free "
                    + "(409 naming the network or port otherwise). Servers with snapshots are refused (409).")
    public Response move(@PathParam("id") long id, @Valid @NotNull MoveRequest request, @HeaderParam(KEY) String key) {
        return accepted(moves.move(id, request.hostId(), key));
    }

    private static Response accepted(io.corral.panel.server.Operation op) {
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
