package io.corral.panel.tenant;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.identity.TenantDirectory;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {
    @Inject
    TenantService tenants;

    @GET
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "List tenants (admins)")
    public Page<TenantView> list(@BeanParam PageRequest page) {
        return tenants.list(page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
    @Operation(summary = "One tenant: admins any, customers their own")
    public TenantView get(@PathParam("id") long id) {
        return tenants.visible(id).map(TenantView::of).orElseThrow(() -> DomainException.notFound(r -> r.tenant_not_found(id)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Create a tenant on a plan with its owner (admins)", description = "Makes the tenant's group and the "
            + "owner's user in Keycloak; the answer carries the owner's temporary password, shown this once. If Keycloak "
            + "fails midway, nothing is kept on either side and the answer says why.")
    public Response create(@Valid @NotNull TenantRequest request) {
        NewTenant t = tenants.create(request);
        return Response.created(URI.create("/api/v1/tenants/" + t.tenant().id())).entity(t).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Delete a tenant without live servers: its users and group leave Keycloak, the backups of its destroyed servers are deleted (queued operations; 409 while one is being taken) (admins)")
    public TenantView delete(@PathParam("id") long id) {
        return TenantView.of(tenants.delete(id));
    }

    @GET
    @Path("/{id}/users")
    @RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
    @Operation(summary = "The tenant's users: admins any tenant, owners their own")
    public List<TenantDirectory.Member> users(@PathParam("id") long id) {
        return tenants.users(id);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{id}/users")
    @RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
    @Operation(summary = "Invite a user to the tenant: admins any tenant, owners their own",
            description = "Makes the user in Keycloak with a temporary password, shown in this answer only.")
    public Response invite(@PathParam("id") long id, @Valid @NotNull InviteRequest request) {
        return Response.status(Response.Status.CREATED).entity(tenants.invite(id, request)).build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("/{id}")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Rename a tenant or move it to another plan (admins)")
    public TenantView update(@PathParam("id") long id, @Valid @NotNull TenantRequest request) {
        return TenantView.of(tenants.update(id, request));
    }

    @POST
    @Path("/{id}/suspend")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Suspend a tenant: its users are disabled in Keycloak and its servers can no longer be managed (admins)")
    public TenantView suspend(@PathParam("id") long id) {
        return TenantView.of(tenants.setStatus(id, Tenant.Status.suspended));
    }

    @POST
    @Path("/{id}/activate")
    @RolesAllowed(CurrentUser.ADMIN)
    @Operation(summary = "Lift a tenant's suspension: its users are enabled again (admins)")
    public TenantView activate(@PathParam("id") long id) {
        return TenantView.of(tenants.setStatus(id, Tenant.Status.active));
    }
}
