package io.corral.panel.ui;

import io.corral.panel.apiclient.ApiClientRequest;
import io.corral.panel.apiclient.ApiClientService;
import io.corral.panel.apiclient.ApiClientView;
import io.corral.panel.apiclient.NewApiClient;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.identity.TenantDirectory.Member;
import io.corral.panel.identity.TenantDirectory.NewUser;
import io.corral.panel.tenant.InviteRequest;
import io.corral.panel.tenant.TenantService;
import io.corral.panel.tenant.TenantView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;

/** A tenant's users and API clients, for its owner and for admins: who may sign in and which scripts may call the API. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class TenantUsersPage {
    @Inject
    Language language;
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(Viewer viewer, TenantView tenant, List<Member> users, NewUser invited, List<ApiClientView> clients,
                                             NewApiClient made, String error);
    }

    @Inject
    CurrentUser user;
    @Inject
    TenantService tenants;
    @Inject
    Forms forms;
    @Inject
    ApiClientService apiClients;

    /** The owner's own tenant, from the header link. */
    @GET
    @Path("users")
    public Response mine() {
        return Redirects.to("/tenants/" + tenants.mine().id + "/users");
    }

    @GET
    @Path("tenants/{id}/users")
    public TemplateInstance users(@PathParam("id") long id) {
        return page(id, null, null, null);
    }

    /** The new user's temporary password is on this answer only (not in a redirect's address), never stored. */
    @POST
    @Path("tenants/{id}/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@PathParam("id") long id, @FormParam("email") String email) {
        return answer(id, () -> page(id, tenants.invite(id, forms.valid(new InviteRequest(email))), null, null));
    }

    /** The new client's secret is on this answer only, as a new user's password is. */
    @POST
    @Path("tenants/{id}/api-clients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response makeApiClient(@PathParam("id") long id, @FormParam("name") String name) {
        return answer(id, () -> page(id, null, apiClients.create(id, forms.valid(new ApiClientRequest(name))), null));
    }

    @POST
    @Path("tenants/{id}/api-clients/{apiClientId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeApiClient(@PathParam("id") long id, @PathParam("apiClientId") long apiClientId) {
        return answer(id, () -> {
            apiClients.revoke(id, apiClientId);
            return page(id, null, null, null);
        });
    }

    /** The page after a change, or with the refusal on it; a tenant the caller may not see is a 404 as on GET. */
    private Response answer(long id, Supplier<TemplateInstance> change) {
        TemplateInstance page;
        try {
            page = change.get();
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            page = page(id, null, null, language.refusal(e));
        }
        return Response.ok(page).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private TemplateInstance page(long id, NewUser invited, NewApiClient made, String error) {
        TenantView tenant = tenants.visible(id).map(TenantView::of).orElseThrow(() -> DomainException.notFound(r -> r.tenant_not_found(id)));
        return language.page(Templates.users(Viewer.of(user), tenant, tenants.users(id), invited, apiClients.list(id), made, error));
    }
}
