package io.corral.panel.apiclient;

import io.corral.panel.common.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/tenants/{id}/api-clients")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ApiClientResource {
    @Inject
    ApiClientService clients;

    @GET
    @Operation(summary = "The tenant's API clients: admins any tenant, owners their own",
            description = "Revoked clients are not listed; no secret is ever shown again.")
    public List<ApiClientView> list(@PathParam("id") long id) {
        return clients.list(id);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Make an API client for the tenant: admins any tenant, owners their own",
            description = "A Keycloak client with the client credentials grant whose tokens act as a customer of the tenant (not "
                    + "its owner). Its secret is in this answer only: trade clientId and secret for a token at tokenUrl "
                    + "(grant_type=client_credentials) and call the API with it. At most 10 per tenant (429 beyond); 409 while the "
                    + "tenant is suspended.")
    public Response create(@PathParam("id") long id, @Valid @NotNull ApiClientRequest request) {
        return Response.status(Response.Status.CREATED).entity(clients.create(id, request))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @DELETE
    @Path("/{apiClientId}")
    @Operation(summary = "Revoke one of the tenant's API clients: admins any tenant, owners their own",
            description = "Keycloak issues it no further token and the panel refuses those it issued already.")
    public Response revoke(@PathParam("id") long id, @PathParam("apiClientId") long apiClientId) {
        clients.revoke(id, apiClientId);
        return Response.noContent().build();
    }
}
