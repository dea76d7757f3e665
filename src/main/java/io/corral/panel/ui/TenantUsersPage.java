package io.corral.panel.ui;

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

/** A tenant's users, for its owner and for admins: who may sign in, and an invitation form. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class TenantUsersPage {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(Viewer viewer, TenantView tenant, List<Member> users, NewUser invited, String error);
    }

    @Inject
    CurrentUser user;
    @Inject
    TenantService tenants;
    @Inject
    Forms forms;

    /** The owner's own tenant, from the header link. */
    @GET
    @Path("users")
    public Response mine() {
        return Redirects.to("/tenants/" + tenants.mine().id + "/users");
    }

    @GET
    @Path("tenants/{id}/users")
    public TemplateInstance users(@PathParam("id") long id) {
        return page(id, null, null);
    }

    /** The new user's temporary password is on this answer only (not in a redirect's address), never stored. */
    @POST
    @Path("tenants/{id}/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@PathParam("id") long id, @FormParam("email") String email) {
        TemplateInstance page;
        try {
            NewUser invited = tenants.invite(id, forms.valid(new InviteRequest(email)));
            page = page(id, invited, null);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            page = page(id, null, e.getMessage());
        }
        return Response.ok(page).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private TemplateInstance page(long id, NewUser invited, String error) {
        TenantView tenant = tenants.visible(id).map(TenantView::of).orElseThrow(() -> DomainException.notFound("tenant " + id));
        return Templates.users(Viewer.of(user), tenant, tenants.users(id), invited, error);
    }
}
